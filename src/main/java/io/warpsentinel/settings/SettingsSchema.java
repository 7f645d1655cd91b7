package io.warpsentinel.settings;

import io.warpsentinel.secrets.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every setting of the application, as its packages declare them: what start-up checks, what
 * is redacted as a secret, and what {@code application.properties} and
 * {@code docs/configuration.md} are generated from.
 */
public record SettingsSchema(List<Setting<?>> settings) {

    public SettingsSchema {
        settings = List.copyOf(settings);
    }

    /** Reads every setting once, so a value that cannot work stops the start naming its key, used or not. */
    public void checkAll(SettingsSource source) {
        for (Setting<?> setting : settings) {
            if (setting.inProperties()) {
                setting.read(source);
            }
        }
    }

    /** The setting a key or an environment variable sets, if it is one of ours. */
    public Optional<Setting<?>> find(String keyOrVariable) {
        return settings.stream().filter(setting -> setting.matches(keyOrVariable)).findFirst();
    }

    /** The setting whose key this is, exactly (as a file or {@code -D} must name it). */
    public Optional<Setting<?>> findKey(String key) {
        return settings.stream().filter(setting -> setting.isKey(key)).findFirst();
    }

    /**
     * Registers the secrets found in the environment and the system properties, before anything
     * is logged: Camel's property resolution and HttpClient print values at DEBUG.
     */
    public void registerSecrets(Map<String, String> environment, Properties systemProperties, Secrets secrets) {
        environment.forEach((name, value) -> find(name).ifPresent(setting -> register(setting, value, secrets)));
        systemProperties.forEach((name, value) -> find(String.valueOf(name)).ifPresent(setting -> register(setting, String.valueOf(value),
                secrets)));
    }

    /**
     * Registers the secrets of the resolved configuration (application.properties, a config file):
     * what the environment and the system properties held is known already.
     *
     * @param names the names the templates are used with (the webhooks')
     */
    public void registerSecrets(SettingsSource source, List<String> names, Secrets secrets) {
        for (Setting<?> setting : settings) {
            if (setting.secret() == Setting.Secret.NONE) {
                continue;
            }
            if (setting.isTemplate()) {
                names.forEach(name -> setting.raw(source, name).ifPresent(value -> register(setting, value, secrets)));
            } else {
                setting.raw(source).ifPresent(value -> register(setting, value, secrets));
            }
        }
    }

    /** Adds what of the setting's value is secret to {@code secrets}; a setting that is no secret adds nothing. */
    public static void register(Setting<?> setting, String value, Secrets secrets) {
        if (value == null || value.isBlank()) {
            return;
        }
        switch (setting.secret()) {
            case NONE -> { }
            case WHOLE -> secrets.add(value);
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
                    for (String parameter : value.substring(value.indexOf('?') + 1).split("&")) {
                        secrets.add(parameter.substring(parameter.indexOf('=') + 1));
                    }
                }
            }
        }
    }

    /** The settings in reading order: by heading, then as declared. */
    public List<Setting<?>> inOrder() {
        List<Setting<?>> ordered = new ArrayList<>(settings);
        ordered.sort(Comparator.comparingInt(setting -> SettingGroup.ORDER.indexOf(setting.group())));
        return ordered;
    }
}
