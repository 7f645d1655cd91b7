package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every warp_sentinel_* metric the Grafana dashboard and the alert rules query is one the service
 * exports, by the name Prometheus sees (Micrometer's _total, _seconds_count and the like
 * included): read off /observe/metrics after a scan with a retry, a remediation and a delivery,
 * so that every meter exists.
 */
class MonitoredMetricsTest extends ScanRouteTestSupport {

    static final Path DASHBOARD = Path.of("deploy/grafana/warp-sentinel.json");

    /** Queried before the code exports them (none now): a metric the dashboard or the rules need ahead of the code goes here. */
    private static final Set<String> COMING = Set.of();

    private static final Pattern OWN_METRIC = Pattern.compile("\\bwarp_sentinel_[a-z0-9_]*[a-z0-9]\\b");
    private static final int PORT = PackagedJar.freePort();

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("camel.management.port", String.valueOf(PORT));
        settings.put("camel.management.host", "127.0.0.1");
        settings.put("cloudflare.retry.initial-delay", "10");
        settings.put("sentinel.remediate.action", "revoke");
        settings.put("sentinel.remediate.min-open", "PT0S");
        settings.put("sentinel.remediate.halt-above", "1");
        settings.put("sentinel.remediate.audit-file", stateDir.resolve("actions.jsonl").toString());
        settings.put("sentinel.webhooks", "ops");
        settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        return settings;
    }

    /** The names of the samples the service serves, after a scan that made every meter exist. */
    private Set<String> exported() throws Exception {
        String stale = registration("s1", Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString(), null);
        // a transient fault first: the retry counter
        cloudflare.sequence("acc-1", null, aResponse().withStatus(503), ok(lastPage(List.of(stale, registration("c1", Instant.now().toString(), null)))));
        // the remediation's re-check (a dry run writes nothing)
        WIREMOCK.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc-1") + "/s1")).willReturn(ok(single(stale))));
        WIREMOCK.stubFor(post(urlPathEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200)));
        assertThat(scan().isSuccessful()).isTrue();

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Set<String> names = new TreeSet<>();
        metrics.lines().filter(line -> line.startsWith("warp_sentinel_")).forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** The warp_sentinel_* names in every text of a JSON or YAML document: queries, variables, descriptions. */
    static Set<String> namesIn(Object document) {
        Set<String> names = new TreeSet<>();
        collect(JSON.valueToTree(document), names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher name = OWN_METRIC.matcher(node.asText());
            while (name.find()) {
                names.add(name.group());
            }
        }
        node.forEach(child -> collect(child, names));
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesQueryIsOneTheServiceExports() throws Exception {
        Set<String> exported = exported();
        Set<String> dashboard = namesIn(JSON.readTree(DASHBOARD.toFile()));
        Set<String> rules = namesIn(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(AlertRulesTest.RULES)));

        assertThat(exported).as("what the service exports after the scan").contains("warp_sentinel_api_retries_total",
                "warp_sentinel_remediations_total", "warp_sentinel_deliveries_total", "warp_sentinel_scan_duration_seconds_count",
                "warp_sentinel_re_enrolled");
        Set<String> known = new TreeSet<>(exported);
        known.addAll(COMING);
        assertThat(dashboard).as("the metrics %s queries", DASHBOARD).isNotEmpty().isSubsetOf(known);
        assertThat(rules).as("the metrics %s queries", AlertRulesTest.RULES).isNotEmpty().isSubsetOf(known);
        assertThat(COMING).as("exported now: drop them from COMING").noneMatch(exported::contains);
    }
}
