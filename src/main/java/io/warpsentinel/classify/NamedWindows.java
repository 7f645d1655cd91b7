package io.warpsentinel.classify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The value of {@code sentinel.stale-after.policies} and {@code sentinel.stale-after.platforms}:
 * {@code name=window} entries, comma-separated, such as {@code Contractors=P14D,Kiosks=P180D}.
 * A name that holds a comma, an {@code =} or a double quote is written in double quotes, a quote
 * inside doubled, as in CSV: {@code "Sales, EMEA"=P14D,"Say ""hi"""=P7D}. Quotes, not
 * backslashes: a properties file reads {@code \,} as a bare comma, so a backslash would mean one
 * thing in the file and another in an environment variable. Spaces around a name and a window
 * are dropped. Read strictly: an entry without {@code =}, an empty name or entry, a quote left
 * open, a window that is no ISO-8601 duration above zero, or a name given twice fails the setting,
 * which stops the start (exit status 2) naming it and the entry.
 */
public final class NamedWindows {

    private NamedWindows() {
    }

    /** Device profiles' windows: names compared exactly as Cloudflare shows them. */
    public static Map<String, StalePolicy> profiles(String value) {
        return parse(value, false);
    }

    /** Platforms' windows: {@code device_type} values, compared in lower case ({@code iOS} is {@code ios}). */
    public static Map<String, StalePolicy> platforms(String value) {
        return parse(value, true);
    }

    private static Map<String, StalePolicy> parse(String value, boolean lowerCase) {
        Map<String, StalePolicy> windows = new LinkedHashMap<>();
        if (value.isBlank()) {
            return windows;
        }
        int at = 0;
        for (int entry = 1; ; entry++) {
            at = skipSpaces(value, at);
            StringBuilder name = new StringBuilder();
            if (at < value.length() && value.charAt(at) == '"') {
                at = quoted(value, at + 1, name, entry);
                at = skipSpaces(value, at);
                if (at >= value.length() || value.charAt(at) != '=') {
                    throw new IllegalArgumentException("entry " + entry + ": a quoted name must be followed by =window");
                }
            } else {
                int end = at;
                while (end < value.length() && value.charAt(end) != '=' && value.charAt(end) != ',') {
                    if (value.charAt(end) == '"') {
                        throw new IllegalArgumentException("entry " + entry + ": a quote may only enclose the whole name");
                    }
                    end++;
                }
                name.append(value, at, end);
                if (end >= value.length() || value.charAt(end) != '=') {
                    throw new IllegalArgumentException(name.toString().isBlank() ? "entry " + entry + " is empty"
                            : "entry " + entry + " ('" + name.toString().strip() + "') has no '=': write name=window");
                }
                at = end;
            }
            String key = name.toString().strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("entry " + entry + " has no name before its '='");
            }
            int end = value.indexOf(',', at + 1);
            end = end < 0 ? value.length() : end;
            String window = value.substring(at + 1, end).strip();
            StalePolicy policy;
            try {
                policy = StalePolicy.parse(window);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the window of '" + key + "', '" + window + "', is no ISO-8601 duration above zero");
            }
            if (lowerCase) {
                key = key.toLowerCase(Locale.ROOT);
            }
            if (windows.put(key, policy) != null) {
                throw new IllegalArgumentException("'" + key + "' is given twice");
            }
            if (end >= value.length()) {
                return Collections.unmodifiableMap(windows);
            }
            at = end + 1;
        }
    }

    /** Reads a quoted name from just after its opening quote; returns the position after its closing one. */
    private static int quoted(String value, int at, StringBuilder name, int entry) {
        while (at < value.length()) {
            char c = value.charAt(at);
            if (c == '"') {
                if (at + 1 < value.length() && value.charAt(at + 1) == '"') {
                    name.append('"');
                    at += 2;
                    continue;
                }
                return at + 1;
            }
            name.append(c);
            at++;
        }
        throw new IllegalArgumentException("entry " + entry + ": a quote is not closed");
    }

    private static int skipSpaces(String value, int at) {
        while (at < value.length() && Character.isWhitespace(value.charAt(at))) {
            at++;
        }
        return at;
    }
}
