package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bin/warp-sentinel as the README runs it: from any folder, -D and -X to the JVM, JAVA_OPTS, its
 * start-up archive, which it uses only when it can vouch for it and drops when the JVM crashes on it.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin/warp-sentinel").toAbsolutePath();
    private static final String DEMO = "-Dcamel.main.profile=demo";
    private static final String CHECKSUM = ".cksum";
    private static final String CRASHED = "the JVM crashed while using it";

    /** A JDK of each kind of archive: AppCDS (17 to 24; the one running the tests, if it is one) and AOT cache (25 and later), beside it. */
    enum Jdk {
        JAVA_17(17, 24), JAVA_25(25, Integer.MAX_VALUE);

        private final int lowest;
        private final int highest;

        Jdk(int lowest, int highest) {
            this.lowest = lowest;
            this.highest = highest;
        }

        Optional<Path> home() throws IOException {
            Path running = Path.of(System.getProperty("java.home"));
            try (Stream<Path> beside = Files.list(running.getParent())) {
                return Stream.concat(Stream.of(running), beside.sorted()).filter(home -> feature(home) >= lowest && feature(home) <= highest).findFirst();
            }
        }

        private static int feature(Path home) {
            try {
                Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
                return version.find() ? Integer.parseInt(version.group(1)) : 0;
            } catch (IOException noRelease) {
                return 0;
            }
        }
    }

    /** What a JVM killed while writing the archive, or a failing disk, leaves of it. */
    enum Damage {
        TRUNCATED, FLIPPED;

        void apply(Path archive) throws IOException {
            archive.toFile().setWritable(true);
            try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
                if (this == TRUNCATED) {
                    file.setLength(file.length() / 2);
                    return;
                }
                // one byte in each of 64 pages a third of the way in: classes the JVM maps at start-up
                for (long offset = file.length() / 3, end = offset + 64 * 4096; offset < end; offset += 4096) {
                    file.seek(offset);
                    int b = file.read();
                    file.seek(offset);
                    file.write(b ^ 0xFF);
                }
            }
        }
    }

    /** An archive per JDK, made once by a first run of the launcher, for the tests that start with one. */
    private static final Map<Jdk, Path> TRAINED = new HashMap<>();

    @TempDir
    Path workDir;

    record Outcome(int exitStatus, String output) { }

    private Process start(Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CLOUDFLARE_") || name.startsWith("SENTINEL_")
                || name.startsWith("LOG_") || name.startsWith("WARP_SENTINEL_") || name.equals("JAVA_OPTS"));
        builder.environment().put("WARP_SENTINEL_CACHE_DIR", cache().toString());
        builder.environment().put("WARP_SENTINEL_JAR", PackagedJar.JAR.toString());
        builder.environment().putAll(environment);
        builder.redirectOutput(workDir.resolve("launcher.log").toFile());
        return builder.start();
    }

    private Outcome finish(Process process) throws Exception {
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            // the JVM first: it is the launcher's child, and would outlive it
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(workDir.resolve("launcher.log"));
        assertThat(ended).as("the launcher's run ends; its output:%n%s", output).isTrue();
        return new Outcome(process.exitValue(), output);
    }

    private Outcome launch(Map<String, String> environment, String... arguments) throws Exception {
        return finish(start(environment, arguments));
    }

    private Outcome launchDemo(Jdk jdk, String... arguments) throws Exception {
        List<String> all = new ArrayList<>(List.of(DEMO, "-Dsentinel.demo.port=" + PackagedJar.freePort()));
        all.addAll(List.of(arguments));
        return launch(Map.of("JAVA_HOME", jdk.home().orElseThrow().toString()), all.toArray(String[]::new));
    }

    private Path cache() {
        return workDir.resolve("cache");
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private List<Path> archives() throws IOException {
        return files(cache());
    }

    /** What cksum says of the file: the launcher's checksum. */
    private static String cksum(Path file) throws Exception {
        Process cksum = new ProcessBuilder("cksum").redirectInput(file.toFile()).start();
        String sum = new String(cksum.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cksum.waitFor()).isZero();
        return sum;
    }

    private static Path checksumOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + CHECKSUM);
    }

    /** The archive in the folder, after checking that it is the only one and matches the checksum beside it. */
    private static Path soundArchiveIn(Path folder) throws Exception {
        List<Path> files = files(folder);
        assertThat(files).as("an archive under its final name and its checksum, nothing else").hasSize(2)
                .allSatisfy(file -> assertThat(file.getFileName().toString()).startsWith("warp-sentinel-"));
        Path archive = files.get(0);
        assertThat(files.get(1)).isEqualTo(checksumOf(archive));
        assertThat(Files.readString(checksumOf(archive))).as("its checksum").isEqualTo(cksum(archive));
        return archive;
    }

    /** Puts in this test's cache the archive the launcher makes for the demo on that JDK (made once for all tests). */
    private Path trainedArchive(Jdk jdk) throws Exception {
        assumeTrue(jdk.home().isPresent(), () -> "no JDK for " + jdk + " installed beside " + System.getProperty("java.home"));
        synchronized (TRAINED) {
            if (!TRAINED.containsKey(jdk)) {
                assertThat(launchDemo(jdk).exitStatus()).isZero();
                Path made = soundArchiveIn(cache());
                Path kept = Files.createTempDirectory("warp-sentinel-archive");
                Files.copy(made, kept.resolve(made.getFileName()));
                Files.copy(checksumOf(made), kept.resolve(checksumOf(made).getFileName()));
                kept.toFile().deleteOnExit();
                kept.resolve(made.getFileName()).toFile().deleteOnExit();
                kept.resolve(checksumOf(made).getFileName()).toFile().deleteOnExit();
                TRAINED.put(jdk, kept.resolve(made.getFileName()));
                return made;
            }
        }
        Path archive = TRAINED.get(jdk);
        Files.createDirectories(cache());
        Files.copy(archive, cache().resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(checksumOf(archive), checksumOf(cache().resolve(archive.getFileName())), StandardCopyOption.REPLACE_EXISTING);
        return cache().resolve(archive.getFileName());
    }

    @Test
    void runsTheDemoFromAnyFolderAndStartsTheNextRunFromTheArchiveItWrote() throws Exception {
        String port = "-Dsentinel.demo.port=" + PackagedJar.freePort();

        Outcome first = launch(Map.of(), DEMO, port, "-Xss1m");

        assertThat(first.exitStatus()).as(first.output()).isZero();
        assertThat(first.output()).contains("Run-once scan finished: every account was scanned and reported");
        assertThat(workDir.resolve("reports")).as("reports relative to the folder it was started in").isDirectory();
        soundArchiveIn(cache());
        List<Path> written = archives();

        // other -D settings, the same JVM options: the same archive, no new one
        Outcome second = launch(Map.of(), DEMO, "-Dsentinel.demo.port=" + PackagedJar.freePort(), "-Xss1m");
        assertThat(second.exitStatus()).as(second.output()).isZero();
        assertThat(archives()).isEqualTo(written);
    }

    @Test
    void javaOptsAndDashDArgumentsReachTheJvm() throws Exception {
        Outcome misspelled = launch(Map.of("JAVA_OPTS", "-Dsentinel.stal-after=P7D", "WARP_SENTINEL_CDS", "off"), DEMO);

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

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedArchiveIsCaughtByItsChecksumRemovedAndWrittenAgain(Damage damage) throws Exception {
        Path archive = trainedArchive(Jdk.JAVA_17);
        damage.apply(archive);
        byte[] damaged = Files.readAllBytes(archive);

        Outcome outcome = launchDemo(Jdk.JAVA_17);

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("removed the start-up archive " + archive + ": it does not match its checksum")
                .doesNotContain(CRASHED);
        assertThat(Files.readAllBytes(soundArchiveIn(cache()))).as("a new archive").isNotEqualTo(damaged);
    }

    @Test
    void anArchiveWithoutItsChecksumIsNotUsed() throws Exception {
        Path archive = trainedArchive(Jdk.JAVA_17);
        Damage.FLIPPED.apply(archive);
        Files.delete(checksumOf(archive));

        Outcome outcome = launchDemo(Jdk.JAVA_17);

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("removed the start-up archive " + archive + ": it has no checksum file").doesNotContain(CRASHED);
        soundArchiveIn(cache());
    }

    /** The archive damaged and its checksum made to match it: the JVM really crashes on it, and the launcher recovers. */
    @ParameterizedTest
    @EnumSource(Crash.class)
    void aJvmThatCrashesOnItsArchiveIsStartedOnceMoreWithoutItAndTheArchiveIsReplaced(Crash crash) throws Exception {
        Path archive = trainedArchive(crash.jdk);
        crash.damage.apply(archive);
        Files.writeString(checksumOf(archive), cksum(archive));
        byte[] damaged = Files.readAllBytes(archive);

        Outcome outcome = launchDemo(crash.jdk);

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("removed the start-up archive " + archive + ": " + CRASHED + " (exit status 134, SIGABRT)",
                "starting once more without it", "Run-once scan finished: every account was scanned and reported");
        assertThat(outcome.output().split(Pattern.quote(CRASHED), -1)).as("one crash, one retry").hasSize(2);
        assertThat(Files.readAllBytes(soundArchiveIn(cache()))).as("the run once more wrote a new archive").isNotEqualTo(damaged);
    }

    /**
     * A damage that crashes the JVM for certain. Java 25 finds a truncated AOT cache itself and starts
     * without it; flipped bytes in an AppCDS archive crash Java 17 mostly, but were also seen to make it
     * fail at start-up (exit 1) or spin and ignore TERM: there only the checksum helps.
     */
    enum Crash {
        JAVA_17_TRUNCATED(Jdk.JAVA_17, Damage.TRUNCATED), JAVA_25_FLIPPED(Jdk.JAVA_25, Damage.FLIPPED);

        final Jdk jdk;
        final Damage damage;

        Crash(Jdk jdk, Damage damage) {
            this.jdk = jdk;
            this.damage = damage;
        }
    }

    @Test
    void aCacheFolderOtherUsersCanWriteToIsNeitherReadNorWritten() throws Exception {
        // an archive that crashes the JVM, were it read
        Path archive = trainedArchive(Jdk.JAVA_17);
        Damage.TRUNCATED.apply(archive);
        Files.writeString(checksumOf(archive), cksum(archive));
        Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Path> before = archives();

        Outcome outcome = launchDemo(Jdk.JAVA_17);

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(outcome.output()).doesNotContain(CRASHED);
        String refused = cache() + " is not used for start-up archives: other users can write to it";
        assertThat(outcome.output().split(Pattern.quote(refused), -1)).as("said once:%n%s", outcome.output()).hasSize(2);
        assertThat(archives()).as("nothing written there").isEqualTo(before);
    }

    @Test
    void aTrainingRunThatFailsLeavesNoArchive() throws Exception {
        Outcome misspelled = launchDemo(Jdk.JAVA_17, "-Dsentinel.stal-after=P7D");

        assertThat(misspelled.exitStatus()).as(misspelled.output()).isEqualTo(2);
        assertThat(archives()).as("neither the archive its JVM wrote at exit nor its temporary file").isEmpty();
    }

    @Test
    void prepareInstallsAnArchiveOnlyFromADemoRunThatEndedWellAndWithItsChecksum() throws Exception {
        Path home = workDir.resolve("install");
        Path installed = home.resolve("lib/jvm-cache");
        Map<String, String> install = Map.of("WARP_SENTINEL_HOME", home.toString(), "JAVA_HOME", Jdk.JAVA_17.home().orElseThrow().toString());

        Outcome failed = launch(install, "--prepare", "-Dsentinel.stal-after=P7D");
        assertThat(failed.exitStatus()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output()).contains("--prepare's demo run failed (exit status 2); no archive written");
        assertThat(files(installed)).isEmpty();

        Outcome prepared = launch(install, "--prepare");
        assertThat(prepared.exitStatus()).as(prepared.output()).isZero();
        Path archive = soundArchiveIn(installed);
        assertThat(prepared.output()).contains("wrote " + archive);

        Outcome run = launch(install, DEMO, "-Dsentinel.demo.port=" + PackagedJar.freePort());
        assertThat(run.exitStatus()).as(run.output()).isZero();
        assertThat(archives()).as("the installed archive used, none written to the cache").isEmpty();
    }

    @Test
    void aServiceStoppedByTermIsNeitherACrashNorStartedAgainAndItsTrainingRunStillCounts() throws Exception {
        Map<String, String> jdk = Map.of("JAVA_HOME", Jdk.JAVA_17.home().orElseThrow().toString());
        for (String run : List.of("writes the archive", "starts from it")) {
            int port = PackagedJar.freePort();
            Process service = start(jdk, DEMO, "-Dsentinel.demo.port=" + PackagedJar.freePort(), "-Dsentinel.once=false",
                    "-Dcamel.management.port=" + port);
            Awaitility.await(run).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !service.isAlive() || live(port));

            service.destroy();
            Outcome stopped = finish(service);

            assertThat(stopped.exitStatus()).as("the JVM's status when TERM stops it; %s:%n%s", run, stopped.output()).isEqualTo(143);
            assertThat(stopped.output()).as(run).doesNotContain(CRASHED, "once more", "removed the start-up archive");
            soundArchiveIn(cache());
        }
    }

    private static boolean live(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }
}
