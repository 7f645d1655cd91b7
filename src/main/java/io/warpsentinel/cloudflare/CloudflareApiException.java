package io.warpsentinel.cloudflare;

/**
 * A page the scan cannot use: an HTTP error, an envelope with {@code success: false}, or a body
 * that is not the documented shape. The message is meant for the operator; it names the
 * account and, where Cloudflare sent one, its error code and message. It never contains the
 * token (the token only travels in the Authorization header, which no message quotes).
 */
public class CloudflareApiException extends RuntimeException {

    private final int httpStatus;

    public CloudflareApiException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status of the answer, or 0 when the fault was not an HTTP status. */
    public int httpStatus() {
        return httpStatus;
    }
}
