package io.warpsentinel.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A heading of {@code application.properties} and of the configuration reference, and the
 * factory of its settings, one per kind of value: a package declares its settings as
 * {@code SettingGroup.CLOUDFLARE.count("cloudflare.per-page", "1000", 1, "...")}. The headings
 * are the reference's table of contents, in order; a heading's settings may come from several
 * packages (the scan's limits are the walk's, its schedule the trigger's).
 *
 * @param note one line under the heading, or empty
 */
public record SettingGroup(String title, String note) {

    public static final SettingGroup CAMEL = new SettingGroup("Camel Main", "");
    public static final SettingGroup CLOUDFLARE = new SettingGroup("Cloudflare API", "");
    public static final SettingGroup HTTP = new SettingGroup("HTTP",
            "Every exchange with Cloudflare and with webhooks, https:// included.");
    public static final SettingGroup SCAN = new SettingGroup("Scan", "");
    public static final SettingGroup REPORTS = new SettingGroup("Reports", "");
    public static final SettingGroup STATE = new SettingGroup("Finding state",
            "What each account's last complete scan found (docs/state.md).");
    public static final SettingGroup CLUSTER = new SettingGroup("Cluster",
            "Several instances on the PostgreSQL of sentinel.state.jdbc-url; each scheduled scan runs on one of them (docs/deployment.md).");
    public static final SettingGroup EXCLUSIONS = new SettingGroup("Exclusions",
            "Registrations that are never findings; listed in the reports' excluded section.");
    public static final SettingGroup ALERTS = new SettingGroup("Alerts", "When e-mail and webhooks fire.");
    public static final SettingGroup OWNER_NOTICES = new SettingGroup("Owner notices",
            "An e-mail to each user whose own registrations look unused (stale, superseded, never used), through the "
                    + "sentinel.email.* relay.");
    public static final SettingGroup REMEDIATION = new SettingGroup("Remediation",
            "Revoking or deleting stale registrations after a complete scan, with a dry run, a cap and an audit file (docs/remediation.md).");
    public static final SettingGroup DELIVERY = new SettingGroup("Delivery", "Every channel: e-mail, webhooks, owner notices.");
    public static final SettingGroup EMAIL = new SettingGroup("E-mail", "");
    public static final SettingGroup WEBHOOKS = new SettingGroup("Webhooks", "");
    public static final SettingGroup OPERATING = new SettingGroup("Operating", "Health, metrics, progress, history, logs.");
    public static final SettingGroup DEMO = new SettingGroup("Demo", "The demo profile turns it on: -Dcamel.main.profile=demo.");

    /** The kind of a {@link #flag}. */
    static final String FLAG = "true or false";

    /** The headings in the order application.properties and the reference list them. */
    public static final List<SettingGroup> ORDER = List.of(CAMEL, CLOUDFLARE, HTTP, SCAN, REPORTS, STATE, CLUSTER, EXCLUSIONS, ALERTS,
            OWNER_NOTICES, REMEDIATION, DELIVERY, EMAIL, WEBHOOKS, OPERATING, DEMO);

    /** Free text; empty when unset. */
    public Setting<String> text(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "text", description, value -> value);
    }

    /** Text that must be set. */
    public Setting<String> required(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "set", description, value -> {
            if (value.isEmpty()) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    public Setting<Boolean> flag(String key, String defaultValue, String description) {
        return setting(key, defaultValue, FLAG, description, value -> {
            if (value.isEmpty() || value.equalsIgnoreCase("false")) {
                return false;
            }
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            throw new IllegalArgumentException();
        });
    }

    /** A whole number of at least {@code min}. */
    public Setting<Integer> count(String key, String defaultValue, int min, String description) {
        return setting(key, defaultValue, "a whole number of at least " + min, description, value -> {
            int number = Integer.parseInt(value);
            if (number < min) {
                throw new IllegalArgumentException();
            }
            return number;
        });
    }

    /** An ISO-8601 duration above zero, such as PT10M. */
    public Setting<Duration> duration(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "an ISO-8601 duration above zero such as PT10M or P7D", description, SettingGroup::positiveDuration);
    }

    /** An ISO-8601 duration above zero, or empty for none (null). */
    public Setting<Duration> optionalDuration(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "an ISO-8601 duration above zero such as P7D, or empty", description,
                value -> value.isEmpty() ? null : positiveDuration(value));
    }

    /** A share, from 0 to 1. */
    public Setting<Double> fraction(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "a number from 0 to 1 such as 0.5", description, value -> {
            double number = Double.parseDouble(value);
            if (!(number >= 0 && number <= 1)) {
                throw new IllegalArgumentException();
            }
            return number;
        });
    }

    /** Comma-separated items, each stripped, empty ones dropped. */
    public Setting<List<String>> list(String key, String defaultValue, String description) {
        return setting(key, defaultValue, "a comma-separated list", description,
                value -> Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList());
    }

    /** One of {@code choices}, in any case (read in lower case). */
    public Setting<String> choice(String key, String defaultValue, String description, String... choices) {
        return setting(key, defaultValue, String.join(", ", Arrays.copyOf(choices, choices.length - 1)) + " or " + choices[choices.length - 1],
                description, value -> {
                    String chosen = value.toLowerCase(Locale.ROOT);
                    if (!List.of(choices).contains(chosen)) {
                        throw new IllegalArgumentException();
                    }
                    return chosen;
                });
    }

    /** A value of its own kind, checked by {@code parser} (which throws IllegalArgumentException, optionally saying why). */
    public <T> Setting<T> of(String key, String defaultValue, String kind, String description, Function<String, T> parser) {
        return setting(key, defaultValue, kind, description, parser);
    }

    private <T> Setting<T> setting(String key, String defaultValue, String kind, String description, Function<String, T> parser) {
        Setting<T> setting = new Setting<>(this, key, defaultValue, kind, description, Setting.Secret.NONE, true, parser);
        return setting.isTemplate() ? setting.documentedOnly() : setting;
    }

    /** A setting only documented: read before application.properties (an environment variable), or by Camel alone. */
    public Setting<String> documented(String key, String defaultValue, String description) {
        return text(key, defaultValue, description).documentedOnly();
    }

    private static Duration positiveDuration(String value) {
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported by the setting, with its name
        }
        throw new IllegalArgumentException();
    }
}
