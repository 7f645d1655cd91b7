package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged jar as an operator would: java -jar in a folder of its own, settings by -D and environment. */
final class PackagedJar {

    static final Path JAR = Path.of("target/warp-sentinel.jar").toAbsolutePath();

    record Outcome(int exitStatus, String output) { }

    private PackagedJar() {
    }

    /** Runs it in {@code workDir} with only {@code environment} of the CLOUDFLARE_* and SENTINEL_* variables; it must end within 3 minutes. */
    static Outcome run(Path workDir, Map<String, String> environment, String... jvmArguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(jvmArguments));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CLOUDFLARE_") || name.startsWith("SENTINEL_")
                || name.startsWith("LOG_"));
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("warp-sentinel-it", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the run-once process ends by itself; its output:%n%s", Files.readString(log)).isTrue();
        return new Outcome(process.exitValue(), Files.readString(log));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
