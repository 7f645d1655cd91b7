package io.warpsentinel.settings;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting, declared once, as a kamelet declares a parameter: its key, its default as
 * {@code application.properties} writes it, what kind of value it takes, whether it is a secret,
 * and what it means. From the declarations come the start-up checks ({@link #read} names the
 * key in every error), the secrets to redact, {@code application.properties} itself and the
 * configuration reference in {@code docs/configuration.md}.
 *
 * <p>A key with {@code <name>} in it is a template, one setting per named thing (a webhook):
 * {@code sentinel.webhook.<name>.url}.
 */
public final class Setting<T> {

    /** How much of the value is secret: nothing, all of it, or the parts of a structured value. */
    public enum Secret { NONE, WHOLE, URL, HEADERS, JDBC_URL }

    private final SettingGroup group;
    private final String key;
    private final String defaultValue;
    private final String kind;
    private final String description;
    private final Secret secret;
    private final boolean inProperties;
    private final Function<String, T> parser;
    private final Pattern namePattern;
    private final Pattern keyPattern;

    Setting(SettingGroup group, String key, String defaultValue, String kind, String description, Secret secret, boolean inProperties,
            Function<String, T> parser) {
        this.group = group;
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.description = description;
        this.secret = secret;
        this.inProperties = inProperties;
        this.parser = parser;
        // dots, dashes and underscores read alike, so a key and its environment variable match the same pattern
        this.namePattern = Pattern.compile(normalized(key).replace(".", "\\.").replace("<name>", "([a-z0-9.]+)"));
        this.keyPattern = Pattern.compile(Pattern.quote(key).replace("<name>", "\\E[A-Za-z0-9_-]+\\Q"));
    }

    public String key() {
        return key;
    }

    public SettingGroup group() {
        return group;
    }

    /** The default as {@code application.properties} writes it; empty for none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the value must be, in words: "a whole number of at least 1", "an ISO-8601 duration"... */
    public String kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    public Secret secret() {
        return secret;
    }

    public boolean isTemplate() {
        return key.contains("<name>");
    }

    /** Whether {@code application.properties} carries it (templates and settings read before it, like LOG_FORMAT, do not). */
    public boolean inProperties() {
        return inProperties;
    }

    /** This setting as a secret, redacted from every log line and failure text. */
    public Setting<T> secret(Secret how) {
        return new Setting<>(group, key, defaultValue, kind, description, how, inProperties, parser);
    }

    /** Only documented: a template, or a setting read before {@code application.properties} (an environment variable). */
    Setting<T> documentedOnly() {
        return new Setting<>(group, key, defaultValue, kind, description, secret, false, parser);
    }

    /** The typed value from {@code source}; a value that cannot work stops the start, naming the key. */
    public T read(SettingsSource source) {
        return parse(key, source.value(key).orElse(""));
    }

    /** The typed value of the template for one name ({@code ops} for {@code sentinel.webhook.<name>.url}). */
    public T read(SettingsSource source, String name) {
        String named = named(name);
        return parse(named, source.value(named).orElse(""));
    }

    /** The raw text, stripped; empty when unset. */
    public Optional<String> raw(SettingsSource source) {
        return source.value(key);
    }

    /** The raw text of the template for one name, stripped; empty when unset. */
    public Optional<String> raw(SettingsSource source, String name) {
        return source.value(named(name));
    }

    public String named(String name) {
        return key.replace("<name>", name);
    }

    private T parse(String name, String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            // a secret's value is never quoted, not even a wrong one
            String given = secret == Secret.NONE ? "'" + value + "'" : "what is set (a secret, not shown)";
            throw new SettingException(name + " must be " + kind + ", not " + given
                    + (e.getMessage() == null || e.getMessage().isBlank() || secret != Secret.NONE ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /** True when {@code name}, a key or an environment variable ({@code SENTINEL_WEBHOOK_SOC_URL}), sets this setting. */
    public boolean matches(String name) {
        return namePattern.matcher(normalized(name)).matches();
    }

    /**
     * True when {@code key} is this setting's key exactly (a template's with any name): in a file
     * or {@code -D}, {@code sentinel.stale_after} is a misspelling, read by nobody.
     */
    public boolean isKey(String key) {
        return keyPattern.matcher(key).matches();
    }

    /** The name in a template's key or environment variable ({@code soc} in {@code SENTINEL_WEBHOOK_SOC_URL}), as compared: lower case, dots for dashes and underscores. */
    public Optional<String> nameIn(String keyOrVariable) {
        Matcher matched = namePattern.matcher(normalized(keyOrVariable));
        return isTemplate() && matched.matches() ? Optional.of(matched.group(1)) : Optional.empty();
    }

    /** A name as {@link #nameIn} gives it. */
    public static String comparable(String name) {
        return normalized(name);
    }

    /** The environment variable that sets it, as Camel reads one: upper case, dots and dashes as underscores. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }
}
