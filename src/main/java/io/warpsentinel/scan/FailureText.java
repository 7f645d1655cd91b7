package io.warpsentinel.scan;

/**
 * Turns a failure into the one line an operator reads in the log and the run's outcome. Error
 * text partly comes from the server (Cloudflare's error messages, a proxy's page, Jackson quoting
 * the body), and a server may echo the request's token: it is blanked here, whatever its source.
 */
public final class FailureText {

    static final String REDACTED = "[token redacted]";

    private final String token;

    public FailureText(String token) {
        this.token = token == null ? "" : token.strip();
    }

    public String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        String text = message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
        // Short values cannot be a real token, and blanking them would mangle ordinary words.
        return token.length() < 8 ? text : text.replace(token, REDACTED);
    }
}
