package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.warpsentinel.TestPostgres.PASSWORD;
import static io.warpsentinel.TestPostgres.URL;
import static io.warpsentinel.TestPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the packaged jar as separate processes, clustered on the PostgreSQL of
 * .ci/run, scanning two accounts of an API stand-in every few seconds: each firing runs on one
 * instance and scans each account once; when the instance in the middle of a scan is killed
 * (kill -9), the other goes on scanning within 15 s, with one catch-up at most, then on schedule.
 * A trigger an earlier version stored takes this one's settings. A member whose network to the
 * database is cut answers readiness within 2 s all the same.
 */
@ExtendWith(TestPostgres.class)
class ClusterIT {

    /** A run's start in the log: the line's time and the run's stale threshold (one per run). */
    private static final Pattern SCAN_STARTED = Pattern.compile(
            "(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Scan started: registrations last seen before (\\S+)");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API stand-in: every page answered after 2 s, so a scan is always caught in the middle. */
    @RegisterExtension
    static final WireMockExtension API = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workDir;

    private final List<Process> processes = new ArrayList<>();

    /** A cluster of its own: no trigger, check-in or finding left by an earlier test. */
    @BeforeEach
    void emptyCluster() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS warp_sentinel_finding, warp_sentinel_removal, warp_sentinel_scan, warp_sentinel_schema_history, qrtz_fired_triggers, "
                    + "qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers, qrtz_cron_triggers, "
                    + "qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars");
        }
        pagesAnsweredAfter(2000);
    }

    private static void pagesAnsweredAfter(int millis) {
        API.stubFor(get(urlPathMatching("/client/v4/accounts/acc-[ab]/devices/registrations")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(millis).withHeader("Content-Type", "application/json").withBody("{\"success\":true,\"errors\":[],"
                        + "\"result\":[{\"id\":\"r1\",\"last_seen_at\":\"2020-01-01T00:00:00Z\",\"device\":{\"name\":\"old\"}},"
                        + "{\"id\":\"r2\",\"last_seen_at\":\"2099-01-01T00:00:00Z\"}],\"result_info\":{\"cursor\":\"\"}}")));
    }

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void eachFiringRunsOnOneInstanceAndTheOtherTakesOverWhenOneDies() throws Exception {
        Instance first = start("one");
        Instance second = start("two");

        // both in the cluster, as each one's readiness says
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(first.health()).contains("is in the cluster of 2");
            assertThat(second.health()).contains("is in the cluster of 2");
        });
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.scansStarted().size() + second.scansStarted().size() >= 3);

        // kill -9 the instance that has just started a scan (its pages take 2 s: it dies mid-scan)
        int firstBefore = first.scansStarted().size();
        int secondBefore = second.scansStarted().size();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> first.scansStarted().size() > firstBefore || second.scansStarted().size() > secondBefore);
        Instance victim = first.scansStarted().size() > firstBefore ? first : second;
        Instance survivor = victim == first ? second : first;
        int survivorScans = survivor.scansStarted().size();
        victim.process.destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        // from now on a scan takes a moment: firings run back to back would show as a burst
        pagesAnsweredAfter(0);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> survivor.scansStarted().size() > survivorScans);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("ClusterIT: the survivor scanned again %.1f s after the kill%n", takeover.toMillis() / 1000.0);
        assertThat(takeover).as("the survivor scans again within 15 s of the kill:%n%s", survivor.output())
                .isLessThan(Duration.ofSeconds(15));
        // and keeps going: a complete scan of both accounts after the kill
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> survivor.history().size() >= 2
                && survivor.history().get(survivor.history().size() - 1).path("complete").asBoolean());

        // At most one catch-up: the scan cut short runs again (or the firing due meanwhile does),
        // then the 3 s schedule; never every firing missed while the dead instance held the trigger.
        LocalDateTime caughtUp = survivor.scanStartTimes().get(survivorScans);
        LocalDateTime watchedUntil = caughtUp.plusSeconds(12);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> survivor.scanStartTimes().stream().anyMatch(watchedUntil::isBefore));
        List<LocalDateTime> watched = survivor.scanStartTimes().stream().filter(start -> !start.isBefore(caughtUp) && !start.isAfter(watchedUntil))
                .toList();
        System.out.printf("ClusterIT: the survivor's scans in the 12 s from its first after the kill: %s%n", watched);
        assertThat(watched).as("one catch-up and the 3 s schedule's 4 firings at most, in the 12 s from the first:%n%s", survivor.output())
                .hasSizeLessThanOrEqualTo(1 + 4);

        // every firing ran on one instance only, and scanned each account once: read once the survivor is
        // between two scans (one it is running has written only the accounts it has finished)
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String output = survivor.output();
            return output.split("Scan started: ", -1).length == output.split("Scan finished", -1).length;
        });
        Map<String, List<String>> scansByRun = new HashMap<>();
        for (Instance instance : List.of(first, second)) {
            for (JsonNode entry : instance.history()) {
                assertThat(entry.path("instance").asText()).as("the history names the instance").isNotBlank();
                scansByRun.computeIfAbsent(entry.path("run_started_at").asText(), run -> new ArrayList<>())
                        .add(entry.path("account_id").asText() + "@" + entry.path("instance").asText());
            }
        }
        assertThat(scansByRun).isNotEmpty();
        scansByRun.forEach((run, scans) -> {
            assertThat(scans).as("run %s", run).hasSize(2);
            assertThat(scans.stream().map(scan -> scan.substring(0, scan.indexOf('@')))).as("run %s", run)
                    .containsExactlyInAnyOrder("acc-a", "acc-b");
            assertThat(scans.stream().map(scan -> scan.substring(scan.indexOf('@') + 1)).distinct()).as("run %s", run).hasSize(1);
        });
        List<String> allStarts = new ArrayList<>(first.scansStarted());
        allStarts.addAll(second.scansStarted());
        assertThat(allStarts).as("no firing started on both instances").doesNotHaveDuplicates();
    }

    @Test
    void aTriggerStoredByAnEarlierVersionTakesTheRoutesTimeZoneAndMisfireInstruction() throws Exception {
        Instance earlier = start("earlier");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(earlier.health()).contains("is in the cluster of 1"));
        earlier.process.destroyForcibly().waitFor();
        // as an earlier version left it: Camel's default misfire instruction (fire once now), another time zone
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("UPDATE qrtz_triggers SET misfire_instr = 1");
            sql.execute("UPDATE qrtz_cron_triggers SET time_zone_id = 'Europe/Berlin'");
        }

        start("upgraded");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement();
                 ResultSet trigger = sql.executeQuery("SELECT t.misfire_instr, c.time_zone_id FROM qrtz_triggers t "
                         + "JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)")) {
                assertThat(trigger.next()).isTrue();
                assertThat(trigger.getInt(1)).as("do nothing").isEqualTo(2);
                assertThat(trigger.getString(2)).isEqualTo("UTC");
                assertThat(trigger.next()).as("one trigger").isFalse();
            }
        });
    }

    @Test
    void readinessAnswersWithinTwoSecondsWhileTheDatabaseIsUnreachableAndIsUpAgainWhenItReturns() throws Exception {
        Matcher server = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.*)").matcher(URL);
        assertThat(server.matches()).as("a PostgreSQL URL with one host: %s", URL).isTrue();
        try (LoopbackProxy network = new LoopbackProxy(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)))) {
            Instance alone = start("alone", "jdbc:postgresql://127.0.0.1:" + network.port() + "/" + server.group(3), "0 0 0 1 1 ? 2099");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(alone.health()).contains("is in the cluster of 1"));

            network.cut();
            // answered within 2 s every time: the first waits on a new query, the later ones on the same one
            for (int answer = 0; answer < 4; answer++) {
                long asked = System.nanoTime();
                HttpResponse<String> ready = alone.get("/observe/health/ready");
                Duration took = Duration.ofNanos(System.nanoTime() - asked);
                assertThat(took).as("answer %d: %s", answer, ready.body()).isLessThan(Duration.ofSeconds(2));
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
                assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("cannot reach the cluster's database");
                Thread.sleep(1000);
            }

            network.restore();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(alone.get("/observe/health/ready").body()).contains("is in the cluster of 1")
                            .contains("\"status\":\"UP\""));
        }
    }

    private Instance start(String name) throws IOException {
        return start(name, URL, "0/3 * * * * ?");
    }

    private Instance start(String name, String jdbcUrl, String schedule) throws IOException {
        Path home = Files.createDirectories(workDir.resolve(name));
        int port = PackagedJar.freePort();
        List<String> command = List.of("java", "-Dsentinel.cluster.enabled=true", "-Dsentinel.schedule=" + schedule,
                "-Dsentinel.state.jdbc-url=" + jdbcUrl, "-Dsentinel.state.username=" + USER,
                "-Dcloudflare.base-url=" + API.baseUrl() + "/client/v4", "-Dcloudflare.account-ids=acc-a,acc-b",
                "-Dcloudflare.per-page=1000", "-Dcamel.management.port=" + port, "-Dcamel.management.host=127.0.0.1",
                "-jar", PackagedJar.JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("output.log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("CLOUDFLARE_") || variable.startsWith("SENTINEL_")
                || variable.startsWith("LOG_"));
        builder.environment().put("CLOUDFLARE_API_TOKEN", CloudflareStub.TOKEN);
        builder.environment().put("SENTINEL_STATE_PASSWORD", PASSWORD);
        Process process = builder.start();
        processes.add(process);
        return new Instance(process, home, port);
    }

    /** One process: its output, run history and health, read as it runs. */
    private static final class Instance {
        final Process process;
        final Path home;
        final int port;

        Instance(Process process, Path home, int port) {
            this.process = process;
            this.home = home;
            this.port = port;
        }

        String output() throws IOException {
            return Files.readString(home.resolve("output.log"));
        }

        /** The runs this instance started, by their stale threshold (one per run start). */
        List<String> scansStarted() throws IOException {
            List<String> runs = new ArrayList<>();
            Matcher started = SCAN_STARTED.matcher(output());
            while (started.find()) {
                runs.add(started.group(2));
            }
            return runs;
        }

        /** When this instance started each run, by its log's clock. */
        List<LocalDateTime> scanStartTimes() throws IOException {
            List<LocalDateTime> times = new ArrayList<>();
            Matcher started = SCAN_STARTED.matcher(output());
            while (started.find()) {
                times.add(LocalDateTime.parse(started.group(1), LOG_TIME));
            }
            return times;
        }

        List<JsonNode> history() throws IOException {
            Path file = home.resolve("reports/history.jsonl");
            List<JsonNode> entries = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        entries.add(JSON.readTree(line));
                    }
                }
            }
            return entries;
        }

        String health() {
            try {
                return get("/observe/health").body();
            } catch (IOException | InterruptedException notYet) {
                return "";
            }
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(35)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
