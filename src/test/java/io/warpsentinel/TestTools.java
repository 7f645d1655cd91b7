package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Programs a test runs (systemd-analyze, promtool, the Pushgateway), found on the PATH. Without
 * one, the test is skipped on a developer's machine and fails on CI ({@code CI=true}), where
 * .ci/run installs them all.
 */
final class TestTools {

    private TestTools() {
    }

    /**
     * The first of {@code names} on the PATH (Debian and upstream name some programs differently).
     *
     * @param debianPackage what installs it, for the message
     */
    static Path require(String debianPackage, String... names) {
        Optional<Path> found = Stream.of(names).flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty()).map(folder -> Path.of(folder, name))).filter(Files::isExecutable).findFirst();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(found).as("CI runs %s: .ci/run installs %s", names[0], debianPackage).isPresent();
        }
        assumeTrue(found.isPresent(), names[0] + " is not on the PATH (Debian: apt-get install " + debianPackage + ")");
        return found.get();
    }
}
