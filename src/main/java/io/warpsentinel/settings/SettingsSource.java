package io.warpsentinel.settings;

import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;

/** Where setting values come from: Camel's properties (application.properties, -D, environment), values stripped. */
public final class SettingsSource {

    private final PropertiesComponent properties;

    public SettingsSource(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The stripped value, empty when unset or blank. */
    public Optional<String> value(String key) {
        return properties.resolveProperty(key).map(String::strip).filter(value -> !value.isEmpty());
    }
}
