package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What an operator reads off a running service: readiness, metrics, the run history, and the change since last time. */
class OperatingTest extends ScanRouteTestSupport {

    private static final int PORT = PackagedJar.freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("camel.management.port", String.valueOf(PORT));
        settings.put("camel.management.host", "127.0.0.1");
        return settings;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode scansCheck() throws Exception {
        JsonNode health = JSON.readTree(get("/observe/health").body());
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("scans")) {
                return check;
            }
        }
        throw new AssertionError("no scans check in " + health);
    }

    @Test
    void anAccountThatNeverSucceededHasALastSuccessOfZeroFromTheStartSoItsAlertCanFire() throws Exception {
        assertThat(get("/observe/metrics").body()).contains("warp_sentinel_last_success_timestamp_seconds{account=\"acc-1\"} 0.0");
    }

    @Test
    void readinessGoesDownAfterAFailedScanAndUpAfterAGoodOneWhileHistoryAndMetricsFollow() throws Exception {
        assertThat(scansCheck().get("status").asText()).isEqualTo("UP");

        // 1: a good scan, 2 stale of 3
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", "2020-01-01T00:00:00Z", null),
                registration("b", "2021-01-01T00:00:00Z", null), registration("c", Instant.now().toString(), null))));
        scan();
        assertThat(scansCheck().get("status").asText()).isEqualTo("UP");

        // 2: the token loses its permission
        WIREMOCK.resetMappings();
        cloudflare.answer("acc-1", null, 403, CloudflareStub.error(10000, "Authentication error"));
        scan();
        JsonNode down = scansCheck();
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.get("message").asText()).startsWith("The last scan failed for account acc-1: ").contains("HTTP 403", "Zero Trust Read");
        assertThat(get("/observe/health").statusCode()).isEqualTo(503);
        assertThat(get("/observe/health/ready").body()).contains("\"status\":\"DOWN\"");
        assertThat(get("/observe/health/live").body()).startsWith("{\"status\":\"UP\"");
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);

        // 3: fixed again, one more stale device and one revoked
        WIREMOCK.resetMappings();
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", "2020-01-01T00:00:00Z", null),
                registration("b", "2021-01-01T00:00:00Z", null), registration("c", "2022-01-01T00:00:00Z", null),
                registration("d", "2022-01-01T00:00:00Z", "2022-02-01T00:00:00Z"))));
        scan();
        assertThat(scansCheck().get("status").asText()).isEqualTo("UP");

        List<JsonNode> history = history();
        assertThat(history).hasSize(3);
        assertThat(history).extracting(h -> h.get("complete").asBoolean()).containsExactly(true, false, true);
        assertThat(history).extracting(h -> h.get("outcome").asText()).containsExactly("complete", "failed", "complete");
        assertThat(history.get(0).get("stale").asInt()).isEqualTo(2);
        assertThat(history.get(0).get("scanned").asInt()).isEqualTo(3);
        assertThat(history.get(1).get("failure").asText()).contains("HTTP 403");
        assertThat(history.get(2).get("stale").asInt()).isEqualTo(3);
        assertThat(history.get(2).get("revoked").asInt()).isEqualTo(1);
        assertThat(history.get(2).get("new").asInt()).as("c and d, against scan 1").isEqualTo(2);
        assertThat(history).allSatisfy(h -> assertThat(h.get("account_id").asText()).isEqualTo("acc-1"));

        // the last report compares with the last complete scan (1), not the failed one (2)
        List<Path> json = reportFiles(".json");
        JsonNode latest = readJson(json.get(json.size() - 1));
        assertThat(latest.at("/previous_scan/stale").asInt()).isEqualTo(2);
        String html = Files.readString(reportFiles(".html").get(reportFiles(".html").size() - 1));
        assertThat(html).contains("<td>3 <span class=\"change\">(+1)</span></td>", "<td>1 <span class=\"change\">(+1)</span></td>");

        String metrics = get("/observe/metrics").body();
        assertThat(metrics)
                .contains("warp_sentinel_registrations_scanned_total{account=\"acc-1\"} 7.0")
                .contains("warp_sentinel_registrations{account=\"acc-1\",reason=\"stale\"} 3.0")
                .contains("warp_sentinel_registrations{account=\"acc-1\",reason=\"revoked\"} 1.0")
                .contains("warp_sentinel_findings_total{account=\"acc-1\",reason=\"stale\"} 5.0")
                .contains("warp_sentinel_api_requests_total{account=\"acc-1\",status=\"200\"} 2.0")
                .contains("warp_sentinel_api_requests_total{account=\"acc-1\",status=\"403\"} 1.0")
                .contains("warp_sentinel_last_scan_complete{account=\"acc-1\"} 1.0")
                .contains("warp_sentinel_changes{account=\"acc-1\",change=\"new\"} 2.0")
                .contains("warp_sentinel_changes{account=\"acc-1\",change=\"still\"} 2.0")
                .contains("warp_sentinel_scan_duration_seconds_count{account=\"acc-1\",outcome=\"failed\"} 1")
                .contains("warp_sentinel_last_success_timestamp_seconds{account=\"acc-1\"}")
                .doesNotContain(CloudflareStub.TOKEN)
                // current registrations are a gauge of the fleet, never counted as findings
                .contains("warp_sentinel_registrations{account=\"acc-1\",reason=\"current\"} 0.0");
        assertThat(metrics.lines().filter(l -> l.startsWith("warp_sentinel_findings_total")).toList())
                .noneMatch(l -> l.contains("reason=\"current\""));
    }
}
