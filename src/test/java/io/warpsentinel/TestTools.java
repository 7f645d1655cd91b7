package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

    /** What a program said (its output and errors, together) and its exit status. */
    record Ran(int exitStatus, String output) { }

    /** Runs {@code program} with {@code arguments} in the repository's folder; it must end within a minute. */
    static Ran run(Path program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // read while it runs: a full pipe would block it
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s ended within 60 s", command).isTrue();
        return new Ran(process.exitValue(), output);
    }
}
