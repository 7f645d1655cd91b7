package io.warpsentinel.scan;

import java.util.Collection;
import java.util.List;

/**
 * Turns a failure into the one line an operator reads in the log, the run's outcome and a dead
 * letter. Error text partly comes from elsewhere (Cloudflare's error messages, a proxy's page,
 * Jackson quoting a body, an HTTP client quoting a webhook URL), and a server may echo what it
 * was sent: every configured secret (the API token, webhook URLs and signing secrets, the SMTP
 * password) is blanked here, whatever its source.
 */
public final class FailureText {

    static final String REDACTED = "[redacted]";
    // Shorter values cannot be real secrets, and blanking them would mangle ordinary words.
    private static final int SHORTEST_SECRET = 8;

    private final List<String> secrets;

    public FailureText(Collection<String> secrets) {
        this.secrets = secrets.stream().filter(secret -> secret != null && secret.strip().length() >= SHORTEST_SECRET)
                .map(String::strip).distinct()
                // the longest first, so a URL is blanked whole before a secret inside it
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    public String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        return redact(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }

    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, REDACTED);
        }
        return redacted;
    }
}
