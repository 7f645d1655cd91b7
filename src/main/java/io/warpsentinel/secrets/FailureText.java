package io.warpsentinel.secrets;

import java.net.UnknownHostException;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns a failure into the one line an operator reads in the log, the run's outcome, the run
 * history and a dead letter. Error text partly comes from elsewhere (Cloudflare's error
 * messages, a proxy's page, Jackson quoting a body, an HTTP client quoting a URL), and a server
 * may echo what it was sent or answer with megabytes, line breaks and terminal escapes. So the
 * line is stripped of every secret ({@link Secrets}), its control characters are escaped (a
 * message cannot forge a log line of its own), text that is not valid Unicode is replaced, and
 * it is cut to {@value #LONGEST} characters.
 */
public final class FailureText {

    static final int LONGEST = 2000;

    private final Secrets secrets;

    public FailureText(Secrets secrets) {
        this.secrets = secrets;
    }

    public String describe(Throwable failure) {
        Throwable cause = failure;
        // Camel wraps what it did not expect (an Error, a checked exception): say what happened inside
        while (cause instanceof RuntimeCamelException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        if (cause instanceof UnknownHostException) {
            // the JDK says "api.example.invalid: Name or service not known", or only the host name
            int reason = message == null ? -1 : message.indexOf(": ");
            String host = reason < 0 ? message : message.substring(0, reason);
            return clean("the host " + host + " does not resolve" + (reason < 0 ? "" : " (" + message.substring(reason + 2) + ")")
                    + ": check the URL's host name (or this machine's DNS)");
        }
        String what = cause.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return clean(what);
        }
        // an Error is rare enough that its kind is the news (OutOfMemoryError: Java heap space)
        return clean(cause instanceof Error ? what + ": " + message : message);
    }

    /** Any text from outside made safe for one log line: redacted, escaped, bounded. */
    public String clean(String text) {
        return cut(escapeControls(secrets.redact(text)));
    }

    public String redact(String text) {
        return secrets.redact(text);
    }

    private static String cut(String text) {
        if (text.length() <= LONGEST) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(LONGEST - 1)) ? LONGEST - 1 : LONGEST;
        return text.substring(0, end) + "... (" + String.format("%,d", text.length() - end) + " more characters)";
    }

    /**
     * Line breaks, tabs, escapes and the other control characters as {@code \n}, {@code \u001b}...;
     * bidirectional overrides too (they reorder what a terminal shows); lone surrogates as U+FFFD.
     */
    public static String escapeControls(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(text, i, c);
            if (replacement == null) {
                if (escaped != null) {
                    escaped.append(c);
                }
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            escaped.append(replacement);
        }
        return escaped == null ? text : escaped.toString();
    }

    private static String replacement(String text, int i, char c) {
        if (c == '\n') {
            return "\\n";
        }
        if (c == '\r') {
            return "\\r";
        }
        if (c == '\t') {
            return "\\t";
        }
        if (c < 0x20 || c >= 0x7f && c < 0xa0 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x2028 || c == 0x2029) {
            return String.format("\\u%04x", (int) c);
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)) ? null : "\uFFFD";
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(text.charAt(i - 1)) ? null : "\uFFFD";
        }
        return null;
    }
}
