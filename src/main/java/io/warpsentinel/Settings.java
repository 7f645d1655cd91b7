package io.warpsentinel;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;

/** Reads settings by name and says which one is wrong, and why, when a value cannot work. */
final class Settings {

    private final PropertiesComponent properties;

    Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The value, blank when the key is absent or empty. */
    String text(String key) {
        return optional(key).orElse("");
    }

    Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::strip).filter(value -> !value.isEmpty());
    }

    String required(String key, String hint) {
        return optional(key).orElseThrow(() -> new SettingException(key + " is not set: " + hint));
    }

    boolean flag(String key) {
        String value = text(key);
        if (value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new SettingException(key + " must be true or false, not '" + value + "'");
    }

    int positive(String key) {
        return number(key, 1);
    }

    int number(String key, int min) {
        return number(key, null, min);
    }

    /** The whole number at {@code key}, or {@code defaultValue} when the key is absent or empty. */
    int number(String key, String defaultValue, int min) {
        String value = optional(key).orElse(defaultValue == null ? "" : defaultValue);
        try {
            int number = Integer.parseInt(value);
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new SettingException(key + " must be a whole number of at least " + min + ", not '" + value + "'");
    }

    Duration duration(String key) {
        String value = text(key);
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below with the setting's name
        }
        throw new SettingException(key + " must be an ISO-8601 duration above zero such as PT10M or PT2H, not '" + value + "'");
    }

    /** A decimal number from 0 to 1 (a share). */
    double fraction(String key) {
        String value = text(key);
        try {
            double number = Double.parseDouble(value);
            if (number >= 0 && number <= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new SettingException(key + " must be a number from 0 to 1 such as 0.5, not '" + value + "'");
    }

    List<String> list(String key) {
        return Arrays.stream(text(key).split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /** A setting that cannot work; its message names the setting and what to do. */
    static final class SettingException extends IllegalStateException {
        SettingException(String message) {
            super(message);
        }
    }
}
