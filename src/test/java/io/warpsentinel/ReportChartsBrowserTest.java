package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ofUser;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withCursor;
import static io.warpsentinel.CloudflareStub.withClientVersion;
import static io.warpsentinel.CloudflareStub.withPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The report page's charts and breakdowns as a person sees them, in headless Chromium: the
 * account's findings by reason run by run over the last 90 days of the run history, a histogram
 * of days since last seen, and every finding counted by platform, client version and device
 * profile, whose values come from whoever enrols a device: text, never markup, in the tables as in
 * the charts.
 */
class ReportChartsBrowserTest extends BrowserTestSupport {

    private static final String IMG = "<img src=x onerror=alert(1)>";
    private static final String SCRIPT = "<script>alert(2)</script>";
    private static final String SVG = "<svg onload=alert(3)>";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.devices.enrich", "true");
        // a policy exclusion that matches nothing: the listing then carries each registration's device profile
        settings.put("sentinel.exclude.policy-names", "no such profile");
        return settings;
    }

    /** A breakdown's rows as "label=count", by its caption. */
    private Map<String, String> breakdown(String caption) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        js("Array.from(Array.from(document.querySelectorAll('table.breakdown')).find(t => t.caption.textContent === '" + caption
                + "').tBodies[0].rows).map(r => [r.cells[0].textContent, r.cells[1].textContent])")
                .forEach(row -> rows.put(row.get(0).asText(), row.get(1).asText()));
        return rows;
    }

    private static String seen(int daysAgo) {
        return Instant.now().minus(daysAgo, ChronoUnit.DAYS).toString();
    }

    /** Earlier complete scans of the account in the run history: 100, 20 and 10 days ago. */
    private void earlierScans() throws Exception {
        StringBuilder history = new StringBuilder();
        for (int daysAgo : new int[] {100, 20, 10}) {
            history.append("{\"account_id\":\"acc-1\",\"run_started_at\":\"").append(Instant.now().minus(daysAgo, ChronoUnit.DAYS)
                    .truncatedTo(ChronoUnit.SECONDS)).append("\",\"complete\":true,\"outcome\":\"complete\",\"stale\":").append(daysAgo)
                    .append(",\"revoked\":1,\"findings\":").append(daysAgo + 1).append("}\n");
        }
        Files.writeString(stateDir.resolve("history.jsonl"), history);
    }

    @Test
    void chartsAndBreakdownsCountEveryFindingAndShowHostileValuesAsText() throws Exception {
        earlierScans();
        cloudflare.page("acc-1", null, lastPage(List.of(
                withPolicy(withClientVersion(registration("r1", "laptop", "2025-01-01T00:00:00Z", null), IMG), SCRIPT),
                withPolicy(registration("r2", seen(10), seen(5)), "Default"),
                withPolicy(registration("r3", seen(45), null), "Default"),
                registration("r4", seen(75), null),
                registration("r5", seen(120), null),
                registration("r6", seen(200), null),
                registration("r7", "no date", null, null),
                registration("current", seen(1), null))));
        WIREMOCK.stubFor(get(urlPathEqualTo("/client/v4/accounts/acc-1/devices/physical-devices")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
                        + "{\"id\":\"dev-r1\",\"device_type\":" + CloudflareStub.jsonString(SVG) + ",\"os_version\":\"1.0\"},"
                        + "{\"id\":\"dev-r2\",\"device_type\":\"mac\",\"os_version\":\"14.5\"},"
                        + "{\"id\":\"dev-r3\",\"device_type\":\"mac\",\"os_version\":\"14.5\"}],\"result_info\":{\"count\":3,\"cursor\":\"\"}}")));

        assertThat(scan().isSuccessful()).isTrue();
        chromium.open(onlyReport("acc-1", ".html"));

        assertThat(breakdown("Days since last seen")).containsExactly(Map.entry("0–30", "1"), Map.entry("31–60", "1"),
                Map.entry("61–90", "1"), Map.entry("91–180", "1"), Map.entry("181–365", "1"), Map.entry("over 365", "1"),
                Map.entry("last seen unreadable", "1"));
        assertThat(breakdown("Platform and OS version")).containsExactly(Map.entry("mac 14.5", "2"), Map.entry(SVG + " 1.0", "1"),
                Map.entry("no device details", "4"));
        assertThat(breakdown("Client version")).containsExactly(Map.entry("2025.1.0", "6"), Map.entry(IMG, "1"));
        assertThat(breakdown("Device profile")).containsExactly(Map.entry("Default", "2"), Map.entry(SCRIPT, "1"),
                Map.entry("not in the listing", "4"));
        assertThat(js("document.querySelectorAll('img, svg[onload], .spread script').length").asInt()).as("values are text").isZero();
        assertThat(js("Array.from(document.querySelectorAll('table.breakdown tbody tr')).every(r => r.querySelector('svg.bar rect'))").asBoolean())
                .as("each row has its bar").isTrue();

        // the run history's scans of the last 90 days, then this one
        JsonNode runs = js("Array.from(document.querySelectorAll('svg.chart g title')).map(t => t.textContent)");
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0).asText()).endsWith(": 21 findings (20 stale, 1 revoked)");
        assertThat(runs.get(1).asText()).endsWith(": 11 findings (10 stale, 1 revoked)");
        assertThat(runs.get(2).asText()).as("r1, last seen as it was enrolled, was never used")
                .endsWith(": 7 findings (4 stale, 1 revoked, 1 invalid, 1 never-used)");
        assertThat(js("performance.getEntriesByType('resource').length").asInt()).as("nothing fetched").isZero();
    }

    @Test
    void findingsSetAsideUntilTheListingEndsAreCountedWithTheirDevicesDetails() throws Exception {
        // seen 30 days ago, its device enrolled again by the same user on the next page: superseded, judged once the listing is complete
        cloudflare.page("acc-1", null, withCursor("p2", List.of(registration("old", seen(30), null))));
        cloudflare.page("acc-1", "p2", lastPage(List.of(ofUser(registration("new", seen(1), null).replace("dev-new", "dev-old"), "usr-old"))));
        cloudflare.physicalDevices("acc-1", 200, "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
                + "{\"id\":\"dev-old\",\"device_type\":\"windows\",\"os_version\":\"11\"}],\"result_info\":{\"count\":1,\"cursor\":\"\"}}");

        assertThat(scan().isSuccessful()).isTrue();
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/superseded").asInt()).isEqualTo(1);
        chromium.open(onlyReport("acc-1", ".html"));

        assertThat(breakdown("Days since last seen")).containsEntry("0–30", "1");
        assertThat(breakdown("Platform and OS version")).containsExactly(Map.entry("windows 11", "1"));
        JsonNode runs = js("Array.from(document.querySelectorAll('svg.chart g title')).map(t => t.textContent)");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).asText()).endsWith(": 1 finding (1 superseded)");
        assertThat(js("document.getElementById('findings-count').textContent").asText()).isEqualTo("Showing 1 of 1");
        assertThat(js("document.querySelector('#findings tbody').textContent").asText()).contains("superseded", "windows 11");
    }
}
