package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The default routes-include-pattern names each route file (no jar scan at start-up): it must name every one of routes/, and no other. */
class RouteFilesTest {

    @Test
    void theDefaultRouteListNamesEveryFileOfTheRoutesFolder() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            files = listing.map(path -> "classpath:routes/" + path.getFileName()).toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(CamelSettings.ROUTES.split(",")).containsExactlyInAnyOrderElementsOf(files);
    }
}
