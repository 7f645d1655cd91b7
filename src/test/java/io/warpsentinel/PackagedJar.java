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

    /** Runs it in {@code workDir} with only {@code environment} of the CLOUDFLARE_*, SENTINEL_*, CAMEL_* and LOG_* variables; it must end within 3 minutes. */
    static Outcome run(Path workDir, Map<String, String> environment, String... jvmArguments) throws Exception {
        return run(workDir, environment, List.of(jvmArguments), List.of());
    }

    /** As {@link #run(Path, Map, String...)}, with arguments after the jar too (where an operator's misplaced ones land). */
    static Outcome run(Path workDir, Map<String, String> environment, List<String> jvmArguments, List<String> arguments) throws Exception {
        Started started = start(workDir, environment, jvmArguments, arguments);
        boolean ended = started.process().waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            started.process().destroyForcibly();
        }
        assertThat(ended).as("the run-once process ends by itself; its output:%n%s", started.output()).isTrue();
        return new Outcome(started.process().exitValue(), started.output());
    }

    /** A process of the jar, running: a service, or a run not yet ended. */
    record Started(Process process, Path log) {

        String output() throws IOException {
            return Files.readString(log);
        }
    }

    /** Starts it as {@link #run(Path, Map, List, List)} does, without waiting: the caller ends it. */
    static Started start(Path workDir, Map<String, String> environment, List<String> jvmArguments, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmArguments);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CLOUDFLARE_") || name.startsWith("SENTINEL_")
                || name.startsWith("LOG_") || name.startsWith("CAMEL_"));
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("warp-sentinel-it", ".log");
        builder.redirectOutput(log.toFile());
        return new Started(builder.start(), log);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
