package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the packaged jar as an operator would: java -jar in a folder of its own, settings by -D and environment. */
final class PackagedJar {

    static final Path JAR = Path.of("target/warp-sentinel.jar").toAbsolutePath();

    record Outcome(int exitStatus, String output) { }

    /** A process of the jar that has not ended yet (a service, or a run): what it printed so far, a wait for a line of it, a stop. */
    record Running(Process process, Path log) {

        String output() throws IOException {
            // read while it writes: a line may end half-way through a character
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        }

        /** Waits, at most a minute, until it has printed {@code text}. */
        void awaitOutput(String text) throws Exception {
            awaitOutput(Pattern.compile(Pattern.quote(text)));
        }

        /** Waits, at most a minute, until what it printed holds a match of {@code pattern} (end it with \R for a whole line); returns the match. */
        MatchResult awaitOutput(Pattern pattern) throws Exception {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            Matcher found = pattern.matcher(output());
            while (!found.find()) {
                assertThat(process.isAlive()).as("still running, waiting for /%s/; its output:%n%s", pattern, output()).isTrue();
                assertThat(System.nanoTime()).as("/%s/ printed within a minute; the output:%n%s", pattern, output()).isLessThan(until);
                Thread.sleep(100);
                found = pattern.matcher(output());
            }
            return found.toMatchResult();
        }

        /** Waits, at most 3 minutes, for the end it comes to by itself (or was told to). */
        Outcome end() throws Exception {
            boolean ended = process.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as("the process ends; its output:%n%s", output()).isTrue();
            return new Outcome(process.exitValue(), output());
        }

        /** SIGTERM, as systemd and Kubernetes stop it (Process.destroy on Linux), then its end. */
        Outcome stop() throws Exception {
            process.destroy();
            return end();
        }
    }

    private PackagedJar() {
    }

    /** Runs it in {@code workDir} with only {@code environment} of the CLOUDFLARE_*, SENTINEL_*, CAMEL_* and LOG_* variables; it must end within 3 minutes. */
    static Outcome run(Path workDir, Map<String, String> environment, String... jvmArguments) throws Exception {
        return start(workDir, environment, jvmArguments).end();
    }

    /** As {@link #run(Path, Map, String...)}, with arguments after the jar too (where an operator's misplaced ones land). */
    static Outcome run(Path workDir, Map<String, String> environment, List<String> jvmArguments, List<String> arguments) throws Exception {
        return start(workDir, environment, jvmArguments, arguments).end();
    }

    /** Starts it as {@link #run(Path, Map, String...)} does, and leaves it running. */
    static Running start(Path workDir, Map<String, String> environment, String... jvmArguments) throws IOException {
        return start(workDir, environment, List.of(jvmArguments), List.of());
    }

    /** Starts it as {@link #run(Path, Map, List, List)} does, and leaves it running: the caller ends it. */
    static Running start(Path workDir, Map<String, String> environment, List<String> jvmArguments, List<String> arguments) throws IOException {
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
        return new Running(builder.start(), log);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
