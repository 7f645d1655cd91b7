package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.settings.SettingsDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * application.properties and docs/configuration.md are generated from the settings'
 * declarations: the committed files must be what the code generates. After changing a
 * declaration: {@code mvn test -Dtest=SettingsDocumentationTest -Dsettings.regenerate=true}.
 */
class SettingsDocumentationTest {

    private static final boolean REGENERATE = Boolean.getBoolean("settings.regenerate");

    private static void matches(Path committed, String generated) throws Exception {
        if (REGENERATE) {
            Files.writeString(committed, generated);
        }
        assertThat(Files.readString(committed)).as("%s is generated from the declarations: run the regenerate command in "
                + "SettingsDocumentationTest", committed).isEqualTo(generated);
    }

    @Test
    void applicationPropertiesIsTheDeclaredDefaults() throws Exception {
        matches(Path.of("application.properties"), SettingsDocs.properties(SentinelSettings.SCHEMA));
    }

    @Test
    void theConfigurationReferenceIsTheDeclarations() throws Exception {
        matches(Path.of("docs/configuration.md"), SettingsDocs.reference(SentinelSettings.SCHEMA));
    }

    @Test
    void theDemoProfileSetsOnlyDeclaredSettings() throws Exception {
        Properties demo = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application-demo.properties"))) {
            demo.load(in);
        }
        assertThat(demo.stringPropertyNames()).allSatisfy(key -> assertThat(SentinelSettings.SCHEMA.find(key)).as(key).isPresent());
    }
}
