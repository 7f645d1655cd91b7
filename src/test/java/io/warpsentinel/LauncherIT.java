package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/warp-sentinel as the README runs it: from any folder, -D and -X to the JVM, JAVA_OPTS, its start-up archive. */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin/warp-sentinel").toAbsolutePath();

    @TempDir
    Path workDir;

    record Outcome(int exitStatus, String output) { }

    private Outcome launch(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CLOUDFLARE_") || name.startsWith("SENTINEL_")
                || name.startsWith("LOG_") || name.startsWith("WARP_SENTINEL_") || name.equals("JAVA_OPTS"));
        builder.environment().put("WARP_SENTINEL_CACHE_DIR", workDir.resolve("cache").toString());
        builder.environment().put("WARP_SENTINEL_JAR", PackagedJar.JAR.toString());
        builder.environment().putAll(environment);
        Path log = workDir.resolve("launcher.log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the launcher's run ends").isTrue();
        return new Outcome(process.exitValue(), Files.readString(log));
    }

    private List<Path> archives() throws IOException {
        Path cache = workDir.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void runsTheDemoFromAnyFolderAndStartsTheNextRunFromTheArchiveItWrote() throws Exception {
        String port = "-Dsentinel.demo.port=" + PackagedJar.freePort();

        Outcome first = launch(Map.of(), "-Dcamel.main.profile=demo", port, "-Xss1m");

        assertThat(first.exitStatus()).as(first.output()).isZero();
        assertThat(first.output()).contains("Run-once scan finished: every account was scanned and reported");
        assertThat(workDir.resolve("reports")).as("reports relative to the folder it was started in").isDirectory();
        List<Path> written = archives();
        assertThat(written).as("one archive, under its final name").hasSize(1)
                .allSatisfy(archive -> assertThat(archive.getFileName().toString()).startsWith("warp-sentinel-").doesNotStartWith("."));

        // other -D settings, the same JVM options: the same archive, no new one
        Outcome second = launch(Map.of(), "-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + PackagedJar.freePort(), "-Xss1m");
        assertThat(second.exitStatus()).as(second.output()).isZero();
        assertThat(archives()).isEqualTo(written);
    }

    @Test
    void javaOptsAndDashDArgumentsReachTheJvm() throws Exception {
        Outcome misspelled = launch(Map.of("JAVA_OPTS", "-Dsentinel.stal-after=P7D", "WARP_SENTINEL_CDS", "off"), "-Dcamel.main.profile=demo");

        assertThat(misspelled.exitStatus()).as(misspelled.output()).isEqualTo(2);
        assertThat(misspelled.output()).contains("-Dsentinel.stal-after (did you mean sentinel.stale-after?)");
        assertThat(archives()).as("WARP_SENTINEL_CDS=off writes none").isEmpty();
    }

    @Test
    void aMissingJarIsNamed() throws Exception {
        Outcome outcome = launch(Map.of("WARP_SENTINEL_JAR", "/nowhere/warp-sentinel.jar"));

        assertThat(outcome.exitStatus()).isEqualTo(2);
        assertThat(outcome.output()).contains("no jar at /nowhere/warp-sentinel.jar");
    }
}
