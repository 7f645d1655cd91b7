package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The finding state in the default embedded store (one file per account under sentinel.state.dir). */
class EmbeddedFindingStateTest extends FindingStateTest {

    /** Every file of the state folder and its content: a failed scan must leave all of it, and no temporary file. */
    @Override
    Object storedState() throws Exception {
        Path folder = stateDir.resolve("state");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path file : listing.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertThat(files).containsKey("acc-1.jsonl");
        return files;
    }
}
