package io.warpsentinel.secrets;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every secret this process knows (the API token, passwords, webhook URLs, signing secrets and
 * header values), and the one place text is cleaned of them before it leaves the process: log
 * lines of every logger (Camel's and HttpClient's included, see {@link RedactingEncoder}),
 * failure texts, the run history and dead letters.
 *
 * <p>One registry per process, like the logging it serves: the log encoder is created by
 * logback before any setting is read, and a secret must be hidden from the first line that
 * could print it. Secrets are only ever added.
 *
 * <p>A URL is redacted by its structure, not only as a whole string: Camel and HTTP clients
 * rewrite URLs (query parameters reordered, characters encoded or decoded), so its query values,
 * user-info and long path segments are secrets of their own, and any URL on the same host and
 * port loses its path and query.
 */
public final class Secrets {

    public static final String REDACTED = "[redacted]";
    // Shorter values cannot be real secrets, and blanking them would mangle ordinary words.
    static final int SHORTEST_SECRET = 8;
    // A path segment this long is an id or a token (Slack's, Discord's), not a word like "services".
    private static final int SHORTEST_SECRET_SEGMENT = 16;
    private static final Pattern URL = Pattern.compile("(?i)\\b(https?)://(?:[^\\s/?#@\"'<>]*@)?([^\\s/?#\"'<>]+)([^\\s\"'<>]*)");
    private static final Secrets GLOBAL = new Secrets();

    private volatile List<String> values = List.of();
    private volatile Set<String> secretHosts = Set.of();

    /** The registry of this process. */
    public static Secrets global() {
        return GLOBAL;
    }

    /** A secret value as such: the value itself, URL-encoded and JSON-escaped. */
    public synchronized void add(String secret) {
        if (secret == null || secret.strip().length() < SHORTEST_SECRET) {
            return;
        }
        String value = secret.strip();
        Set<String> all = new LinkedHashSet<>(values);
        all.add(value);
        all.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        all.add(jsonEscaped(value));
        publish(all);
    }

    /**
     * A URL whose parts are secret (a webhook's, the Pushgateway's): the whole URL, its user-info
     * (as it is and as a basic-auth header carries it), each query value and each long path
     * segment; and every URL on its host and port is cut to scheme and host.
     */
    public synchronized void addUrl(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        add(url);
        try {
            URI uri = URI.create(url.strip());
            add(uri.getRawUserInfo());
            add(uri.getUserInfo());
            if (uri.getRawUserInfo() != null) {
                for (String part : uri.getUserInfo().split(":", 2)) {
                    add(part);
                }
                // sent as a basic-auth header, which HttpClient prints at DEBUG
                add(Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8)));
            }
            if (uri.getRawQuery() != null) {
                for (String parameter : uri.getRawQuery().split("&")) {
                    int equals = parameter.indexOf('=');
                    String value = equals < 0 ? parameter : parameter.substring(equals + 1);
                    add(value);
                    add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            if (uri.getRawPath() != null) {
                for (String segment : uri.getRawPath().split("/")) {
                    if (segment.length() >= SHORTEST_SECRET_SEGMENT) {
                        add(segment);
                        add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
                    }
                }
            }
            if (uri.getHost() != null) {
                Set<String> hosts = new LinkedHashSet<>(secretHosts);
                hosts.add(hostKey(uri.getHost(), uri.getPort(), uri.getScheme()));
                secretHosts = Set.copyOf(hosts);
            }
        } catch (IllegalArgumentException notAUri) {
            // kept whole (above); the setting's own check reports the malformed URL
        }
    }

    /** The text with every secret replaced by {@value #REDACTED}, and URLs of secret hosts cut to their host. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String redacted = text;
        Set<String> hosts = secretHosts;
        if (!hosts.isEmpty() && (redacted.contains("://"))) {
            Matcher url = URL.matcher(redacted);
            StringBuilder cut = new StringBuilder(redacted.length());
            while (url.find()) {
                String authority = url.group(2);
                boolean secretHost = hosts.contains(hostKey(authority, url.group(1)));
                String replacement = secretHost ? url.group(1) + "://" + authority + (url.group(3).isEmpty() ? "" : "/" + REDACTED)
                        : url.group();
                url.appendReplacement(cut, Matcher.quoteReplacement(replacement));
            }
            url.appendTail(cut);
            redacted = cut.toString();
        }
        for (String secret : values) {
            if (redacted.contains(secret)) {
                redacted = redacted.replace(secret, REDACTED);
            }
        }
        return redacted;
    }

    private void publish(Set<String> all) {
        List<String> sorted = new ArrayList<>(all);
        sorted.removeIf(value -> value.length() < SHORTEST_SECRET);
        // the longest first, so a URL is blanked whole before a secret inside it
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        values = List.copyOf(sorted);
    }

    private static String hostKey(String host, int port, String scheme) {
        int effectivePort = port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return host.toLowerCase(Locale.ROOT) + ":" + effectivePort;
    }

    /** "host" or "host:port" as found in a text, with the scheme it came with. */
    private static String hostKey(String authority, String scheme) {
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && authority.indexOf(']') < colon) {
            try {
                return hostKey(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)), scheme);
            } catch (NumberFormatException notAPort) {
                return authority.toLowerCase(Locale.ROOT);
            }
        }
        return hostKey(authority, -1, scheme);
    }

    private static String jsonEscaped(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
