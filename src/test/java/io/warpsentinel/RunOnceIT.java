package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.warpsentinel.demo.DemoCloudflareApi;
import io.warpsentinel.report.ReportIndex;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as an operator would: java -jar, settings by -D and environment, exit status. */
class RunOnceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Cloudflare and webhook receivers, for the tests that need them. */
    @RegisterExtension
    static final WireMockExtension SERVERS = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workDir;

    private PackagedJar.Outcome runJar(Map<String, String> environment, String... properties) throws Exception {
        return PackagedJar.run(workDir, environment, properties);
    }

    private static int freePort() throws IOException {
        return PackagedJar.freePort();
    }

    private List<Path> reports(String suffix) throws IOException {
        Path dir = workDir.resolve("reports");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void theDemoScansASimulatedFleetWithoutAnAccountAndLeavesItsReports() throws Exception {
        PackagedJar.Outcome outcome = runJar(Map.of(), "-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + freePort());

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        // a quiet console: the start, the run, each account with its three files, the end
        assertThat(outcome.output().lines()).as(outcome.output()).hasSize(11);
        assertThat(outcome.output()).contains("warp-sentinel ", " starting: one scan, then exit; accounts demo-acme-hq, demo-acme-labs")
                .contains("Run-once scan finished").doesNotContain("AbstractCamelContext").doesNotContain("Started scan-account");
        assertThat(reports(".csv")).hasSize(2);
        assertThat(reports(".json")).hasSize(2);
        // each account's page, and the index of them (issue #23)
        assertThat(reports(".html")).hasSize(3).contains(workDir.resolve("reports").resolve(ReportIndex.FILE));
        for (Path json : reports(".json")) {
            JsonNode report = JSON.readTree(json.toFile());
            assertThat(report.at("/summary/scanned").asLong()).isEqualTo(3000);
            assertThat(report.at("/summary/stale").asLong()).isPositive();
            assertThat(report.at("/summary/revoked").asLong()).isPositive();
            assertThat(report.at("/summary/invalid").asLong()).isPositive();
            Path csv = Path.of(json.toString().replace(".json", ".csv"));
            assertThat(ScanRouteTestSupport.readCsv(csv)).hasSize(report.at("/summary/findings").asInt());
        }
    }

    @Test
    void aSecondDemoRunFindsTheFleetADayOnWithNewRecoveredAndGoneRegistrations() throws Exception {
        for (int run = 0; run < 2; run++) {
            PackagedJar.Outcome outcome = runJar(Map.of(), "-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + freePort());
            assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        }

        assertThat(workDir.resolve("reports/demo-cloudflare.jsonl")).hasContent("{\"day\":0}\n{\"day\":1}");
        for (String account : List.of("demo-acme-hq", "demo-acme-labs")) {
            List<Path> runs = reports(".json").stream().filter(f -> f.getFileName().toString().contains("-" + account + "-")).toList();
            assertThat(runs).hasSize(2);
            JsonNode second = JSON.readTree(runs.get(1).toFile());
            assertThat(second.at("/summary/scanned").asInt()).as(account).isBetween(2950, 3000);
            assertThat(second.at("/summary/new").asInt()).as(account).isPositive();
            assertThat(second.at("/summary/recovered").asInt()).as(account).isPositive();
            assertThat(second.at("/summary/gone").asInt()).as(account).isPositive();
            assertThat(second.at("/summary/still").asInt()).as(account).isGreaterThan(second.at("/summary/findings").asInt() * 9 / 10);
            assertThat(second.get("recovered")).hasSize(second.at("/summary/recovered").asInt());
        }
    }

    @Test
    void listsExactlyTheRevokedAndStaleRegistrationsOfAFleetOfThousands() throws Exception {
        try (DemoCloudflareApi api = new DemoCloudflareApi(12_345, Clock.systemUTC()).start(0)) {
            PackagedJar.Outcome outcome = runJar(Map.of("CLOUDFLARE_API_TOKEN", "it-token", "CLOUDFLARE_ACCOUNT_ID", "fleet-1"),
                    "-Dsentinel.once=true", "-Dcloudflare.base-url=" + api.baseUrl(), "-Dcloudflare.per-page=700",
                    "-Dsentinel.report.dir=" + workDir.resolve("reports"));

            assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
            JsonNode report = JSON.readTree(reports(".json").get(0).toFile());
            Instant staleBefore = Instant.parse(report.at("/policy/stale_before").asText());
            Map<String, String> expected = independentlyClassify(api.baseUrl() + "/accounts/fleet-1/devices/registrations", staleBefore);

            List<Map<String, String>> rows = ScanRouteTestSupport.readCsv(reports(".csv").get(0));
            Map<String, String> reported = new HashMap<>();
            rows.forEach(row -> assertThat(reported.put(row.get("registration_id"), row.get("reason")))
                    .as("%s listed once", row.get("registration_id")).isNull());
            assertThat(reported).isEqualTo(expected);
            assertThat(report.at("/summary/scanned").asInt()).isEqualTo(12_345);
            assertThat(report.at("/summary/pages").asInt()).isEqualTo(18);
        }
    }

    @Test
    void aMillionRegistrationsAndTheirFindingsDevicesAreScannedWithinA128MegabyteHeap() throws Exception {
        try (DemoCloudflareApi api = new DemoCloudflareApi(1_000_000, Clock.systemUTC()).start(0)) {
            PackagedJar.Outcome outcome = runJar(Map.of("CLOUDFLARE_API_TOKEN", "it-token", "CLOUDFLARE_ACCOUNT_ID", "fleet-1"),
                    "-Xmx128m", "-Dsentinel.once=true", "-Dcloudflare.base-url=" + api.baseUrl(),
                    "-Dcloudflare.rate-limit.requests=10000", "-Dsentinel.report.dir=" + workDir.resolve("reports"));

            assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
            assertThat(outcome.output()).doesNotContain("OutOfMemoryError");
            JsonNode report = JSON.readTree(reports(".json").get(0).toFile());
            assertThat(report.at("/summary/scanned").asInt()).isEqualTo(1_000_000);
            assertThat(report.at("/summary/superseded").asInt()).isPositive();
            assertThat(report.at("/summary/never-used").asInt()).isPositive();
            assertThat(report.at("/device_details/status").asText()).isEqualTo("complete");
            assertThat(report.at("/device_details/devices").asInt()).isGreaterThan(report.at("/summary/findings").asInt() / 2);
        }
    }

    /**
     * A second, deliberately plain reading of the API and of the rules, to check the product
     * against: the documented rules applied from scratch, with the whole fleet in memory (as the product
     * never holds it): invalid, revoked, superseded (P7D), never-used (PT1H, P7D), stale.
     */
    private static Map<String, String> independentlyClassify(String url, Instant staleBefore) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<JsonNode> fleet = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            String query = "?status=all&per_page=1000" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + query))
                    .header("Authorization", "Bearer check").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode registration : page.get("result")) {
                assertThat(seen.add(registration.get("id").asText())).isTrue();
                fleet.add(registration);
            }
            cursor = page.at("/result_info/cursor").asText("");
        } while (!cursor.isEmpty());
        Instant now = staleBefore.plus(30, ChronoUnit.DAYS);
        // the newest last contact of each device and user, among registrations not revoked and judged
        Map<String, Instant> newest = new HashMap<>();
        for (JsonNode registration : fleet) {
            Instant lastSeen = lastSeen(registration);
            if (!revoked(registration) && lastSeen != null && registration.at("/device/id").isTextual()) {
                newest.merge(deviceAndUser(registration), lastSeen, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Map<String, String> findings = new HashMap<>();
        for (JsonNode registration : fleet) {
            String id = registration.get("id").asText();
            Instant lastSeen = lastSeen(registration);
            Instant created = registration.path("created_at").isTextual() ? OffsetDateTime.parse(registration.get("created_at").asText()).toInstant()
                    : null;
            if (revoked(registration)) {
                findings.put(id, "revoked");
            } else if (lastSeen == null || lastSeen.isAfter(now.plus(1, ChronoUnit.DAYS))) {
                findings.put(id, "invalid");
            } else if (registration.at("/device/id").isTextual()
                    && !newest.get(deviceAndUser(registration)).isBefore(lastSeen.plus(7, ChronoUnit.DAYS))) {
                findings.put(id, "superseded");
            } else if (created != null && created.isBefore(now.minus(7, ChronoUnit.DAYS))
                    && Duration.between(created, lastSeen).abs().compareTo(Duration.ofHours(1)) <= 0) {
                findings.put(id, "never-used");
            } else if (lastSeen.isBefore(staleBefore)) {
                findings.put(id, "stale");
            }
        }
        return findings;
    }

    private static boolean revoked(JsonNode registration) {
        return !registration.path("revoked_at").isNull() && !registration.path("revoked_at").isMissingNode();
    }

    private static Instant lastSeen(JsonNode registration) {
        JsonNode lastSeen = registration.path("last_seen_at");
        return lastSeen.isTextual() && lastSeen.asText().matches("\\d{4}-.*") ? OffsetDateTime.parse(lastSeen.asText()).toInstant() : null;
    }

    /** The same device and the same user: the same user.id, or both without one. */
    private static String deviceAndUser(JsonNode registration) {
        JsonNode userId = registration.at("/user/id");
        return registration.at("/device/id").asText() + "|" + (userId.isTextual() ? userId.asText() : "");
    }

    @Test
    void aFailedAccountMakesTheRunExitNonZeroWhileTheOthersAreStillReportedAndTheTokenIsNeverPrinted() throws Exception {
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("good"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 2, "2020-01-01T00:00:00Z")))));
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("broken"))).willReturn(aResponse().withStatus(500)
                .withBody(CloudflareStub.error(10001, "Internal error"))));

        PackagedJar.Outcome outcome = runJar(Map.of("CLOUDFLARE_API_TOKEN", CloudflareStub.TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "broken,good"),
                "-Dsentinel.once=true", "-Dcloudflare.base-url=" + SERVERS.baseUrl() + "/client/v4",
                "-Dcloudflare.retry.initial-delay=10");

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).contains("Scan of account broken failed", "HTTP 500", "Internal error",
                "retrying page 1 in ", "(retry 5 of 5)");
        assertThat(reports(".json")).singleElement().satisfies(f -> assertThat(f.toString()).contains("-good-"));
        assertThat(outcome.output()).doesNotContain(CloudflareStub.TOKEN).doesNotContain("test-token");
    }

    @Test
    void aReportThatCouldNotBeDeliveredAlsoMakesTheRunExitNonZero() throws Exception {
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 1, "2020-01-01T00:00:00Z")))));
        SERVERS.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(503)));

        PackagedJar.Outcome outcome = runJar(Map.of("CLOUDFLARE_API_TOKEN", "it-token", "CLOUDFLARE_ACCOUNT_ID", "acc"),
                "-Dsentinel.once=true", "-Dcloudflare.base-url=" + SERVERS.baseUrl() + "/client/v4",
                "-Dsentinel.webhooks=ops", "-Dsentinel.webhook.ops.url=" + SERVERS.baseUrl() + "/hook",
                "-Dsentinel.delivery.max-retries=1", "-Dsentinel.delivery.initial-delay=10",
                "-Dsentinel.dead-letter.dir=" + workDir.resolve("dead-letters"));

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(reports(".csv")).as("the report itself was written").hasSize(1);
        assertThat(outcome.output()).contains("webhook ops failed after its retries", "undelivered: [acc -> webhook ops]");
        assertThat(workDir.resolve("dead-letters")).isNotEmptyDirectory();
    }

    @Test
    void withoutATokenItStopsAtOnceNamingTheSettingAndNeverFallsBackToTheDemo() throws Exception {
        PackagedJar.Outcome outcome = runJar(Map.of("CLOUDFLARE_ACCOUNT_ID", "acc-1"), "-Dsentinel.once=true");

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output()).contains("cloudflare.api-token is not set", "CLOUDFLARE_API_TOKEN")
                .doesNotContain("cloudflare.account-ids is not set")
                .doesNotContain("Demo Cloudflare API")
                .doesNotContain("Scan started");
        assertThat(workDir.resolve("reports")).doesNotExist();
    }
}
