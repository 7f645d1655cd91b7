package io.warpsentinel.cloudflare;

/**
 * A page that failed for a reason that may pass: a 5xx or 408 answer, or a body cut short.
 * The fetch route retries it with exponential backoff, from the same cursor.
 */
public class TransientApiException extends CloudflareApiException {

    public TransientApiException(int httpStatus, String message) {
        super(httpStatus, message);
    }
}
