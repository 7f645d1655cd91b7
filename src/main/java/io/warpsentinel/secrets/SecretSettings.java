package io.warpsentinel.secrets;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which settings hold secrets, and what of their value is worth hiding: a token or password
 * whole, a webhook URL by its structure, each value of a header list, the parameters of a JDBC
 * URL. A setting is recognised by its key ({@code sentinel.webhook.soc.url}) or by the
 * environment variable that sets it ({@code SENTINEL_WEBHOOK_SOC_URL}).
 */
public final class SecretSettings {

    private enum Kind { PLAIN, URL, HEADERS, JDBC_URL }

    // Keys with dots, dashes and underscores all read as dots, in lower case.
    private static final Pattern PLAIN = Pattern.compile("cloudflare\\.api\\.(write\\.)?token|sentinel\\.(email|state)\\.password"
            + "|sentinel\\.webhook\\..+\\.secret");
    private static final Pattern URL = Pattern.compile("sentinel\\.webhook\\..+\\.url");
    private static final Pattern HEADERS = Pattern.compile("sentinel\\.webhook\\..+\\.headers");
    private static final Pattern JDBC_URL = Pattern.compile("sentinel\\.state\\.jdbc\\.url");

    private SecretSettings() {
    }

    /** True when the setting (by key or environment variable name) holds a secret. */
    public static boolean isSecret(String name) {
        return kindOf(name) != null;
    }

    /** Adds the setting's secret parts to {@code secrets}; a setting that is no secret adds nothing. */
    public static void register(String name, String value, Secrets secrets) {
        Kind kind = kindOf(name);
        if (kind == null || value == null || value.isBlank()) {
            return;
        }
        switch (kind) {
            case PLAIN -> secrets.add(value);
            case URL -> secrets.addUrl(value);
            case HEADERS -> {
                for (String header : value.split(";")) {
                    int colon = header.indexOf(':');
                    secrets.add(colon < 0 ? header : header.substring(colon + 1));
                }
            }
            case JDBC_URL -> {
                // only its parameters can hold a password; the rest names the database in messages
                if (value.toLowerCase(Locale.ROOT).contains("password")) {
                    secrets.add(value);
                    int query = value.indexOf('?');
                    for (String parameter : value.substring(query + 1).split("&")) {
                        secrets.add(parameter.substring(parameter.indexOf('=') + 1));
                    }
                }
            }
        }
    }

    /**
     * Registers the secrets of the environment and the system properties, before anything is
     * logged: Camel's property resolution and HttpClient print values at DEBUG.
     */
    public static void registerStartupValues(Map<String, String> environment, Properties systemProperties, Secrets secrets) {
        environment.forEach((name, value) -> register(name, value, secrets));
        systemProperties.forEach((name, value) -> register(String.valueOf(name), String.valueOf(value), secrets));
    }

    private static Kind kindOf(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
        if (PLAIN.matcher(key).matches()) {
            return Kind.PLAIN;
        }
        if (URL.matcher(key).matches()) {
            return Kind.URL;
        }
        if (HEADERS.matcher(key).matches()) {
            return Kind.HEADERS;
        }
        return JDBC_URL.matcher(key).matches() ? Kind.JDBC_URL : null;
    }
}
