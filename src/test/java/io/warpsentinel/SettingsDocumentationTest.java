package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every setting is documented twice: a comment above it in application.properties and a row in the README's table. */
class SettingsDocumentationTest {

    @Test
    void everySettingHasACommentAndAReadmeRow() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("application.properties"));
        String readme = Files.readString(Path.of("README.md"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('=')).strip();
            keys.add(key);
            int above = i - 1;
            while (above >= 0 && !lines.get(above).isBlank() && !lines.get(above).startsWith("#")) {
                above--; // settings of one comment may stand together
            }
            assertThat(above >= 0 && lines.get(above).startsWith("#")).as("comment above %s", key).isTrue();
            assertThat(readme).as("README table row for %s", key).contains("| `" + key + "` |");
        }
        assertThat(keys).contains("cloudflare.api-token", "sentinel.stale-after", "sentinel.report.dir");
    }
}
