package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.physicalDevice;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.seenDaysAgo;
import static io.warpsentinel.CloudflareStub.withCursor;
import static io.warpsentinel.CloudflareStub.withPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * sentinel.stale-after.policies and .platforms through the real routes, against WireMock's
 * listing (include=policy) and inventory of physical devices: which window judges each
 * registration (its profile's, its platform's, then sentinel.stale-after), what a typo and
 * unavailable device details do, and what the reports say of each window.
 */
class StaleAfterWindowsTest extends ScanRouteTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.devices.enrich", "true");
        String test = String.valueOf(getCurrentTestName()).toLowerCase(java.util.Locale.ROOT);
        // "Kiosk": the profile is "Kiosks"
        settings.put("sentinel.stale-after.policies", test.contains("typo") ? "Contractors=P14D, Kiosk=P180D" : "Contractors=P14D,Kiosks=P180D");
        settings.put("sentinel.stale-after.platforms", "ios=P60D,Android=P14D");
        return settings;
    }

    /**
     * Seven registrations over four pages, each chosen so that the window that judges it gives
     * another verdict than the next rule would.
     */
    private void fleet() {
        cloudflare.page("acc-1", null, withCursor("p2", List.of(
                // a contractor's iPhone unseen 20 days: stale by its profile (P14D), though its platform's window is P60D
                withPolicy(registration("contractor-phone", seenDaysAgo(20), null), "Contractors"),
                // a kiosk on Android unseen 100 days: current by its profile (P180D), though Android's window is P14D
                withPolicy(registration("kiosk", seenDaysAgo(100), null), "Kiosks"))));
        cloudflare.page("acc-1", "p2", withCursor("p3", List.of(
                // an iPhone of the default profile unseen 45 days: current by its platform's P60D, stale by the default P30D
                withPolicy(registration("iphone", seenDaysAgo(45), null), "Default"),
                // unseen 70 days: stale by every window
                registration("old-iphone", seenDaysAgo(70), null))));
        cloudflare.page("acc-1", "p3", withCursor("p4", List.of(
                // an Android phone unseen 20 days: stale by its platform's P14D, current by the default P30D
                registration("android", seenDaysAgo(20), null),
                // Windows has no window of its own: the default's P30D
                withPolicy(registration("laptop", seenDaysAgo(40), null), "Default"))));
        cloudflare.page("acc-1", "p4", lastPage(List.of(registration("fresh", seenDaysAgo(1), null))));
    }

    private void inventory() {
        cloudflare.physicalDevices("acc-1", 200, lastPage(List.of(physicalDevice("contractor-phone", "ios"),
                physicalDevice("kiosk", "android"), physicalDevice("iphone", "ios"), physicalDevice("old-iphone", "ios"),
                physicalDevice("android", "android"), physicalDevice("laptop", "windows"), physicalDevice("fresh", "mac"))));
    }

    /** Each window of the JSON report's policy: "rule name stale_after: judged/stale". */
    private static List<String> windows(JsonNode report) {
        List<String> windows = new ArrayList<>();
        report.at("/policy/windows").forEach(window -> windows.add(window.get("rule").asText() + (window.has("name")
                ? " " + window.get("name").asText() : "") + " " + window.get("stale_after").asText() + ": " + window.get("judged").asLong()
                + "/" + window.get("stale").asLong()));
        return windows;
    }

    @Test
    void theProfilesWindowComesFirstThenThePlatformsThenTheDefault() throws Exception {
        fleet();
        inventory();

        assertThat(scan().isSuccessful()).isTrue();

        WIREMOCK.verify(getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1"))).withQueryParam("include", equalTo("policy")));
        assertThat(readCsv(onlyReport("acc-1", ".csv"))).extracting(row -> row.get("registration_id"), row -> row.get("stale_after"),
                row -> row.get("device_type")).containsExactly(
                tuple("contractor-phone", "P14D (profile Contractors)", "ios"),
                tuple("old-iphone", "P60D (platform ios)", "ios"),
                tuple("android", "P14D (platform android)", "android"),
                tuple("laptop", "P30D", "windows"));
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.get("findings")).extracting(finding -> finding.get("stale_after").asText())
                .containsExactly("P14D (profile Contractors)", "P60D (platform ios)", "P14D (platform android)", "P30D");
        assertThat(report.at("/policy/stale_after").asText()).isEqualTo("P30D");
        assertThat(windows(report)).as("every registration judged by one window, stale or current").containsExactly(
                "default P30D: 2/1", "profile Contractors P14D: 1/1", "profile Kiosks P180D: 1/0", "platform ios P60D: 2/1",
                "platform android P14D: 1/1");
        assertThat(report.at("/policy/windows/1/carried_by").asLong()).isEqualTo(1);
        assertThat(report.at("/policy/unmatched_profiles")).isEmpty();
        assertThat(report.at("/policy/platform_unknown").asLong()).isZero();
        assertThat(report.at("/summary/stale").asLong()).isEqualTo(4);
        String html = Files.readString(onlyReport("acc-1", ".html"));
        assertThat(html).contains("Stale-after windows: the first that applies judges",
                "<tr><td>profile Contractors</td><td>P14D</td>", "<tr><td>platform android</td><td>P14D</td>",
                "<tr><td>sentinel.stale-after</td><td>P30D</td>");
        assertThat(html.indexOf("profile Kiosks")).as("in the order they apply").isLessThan(html.indexOf("platform ios"));
    }

    @Test
    void withoutTheDevicesDetailsAPlatformsWindowFallsBackToTheDefaultAndTheReportSaysSo() throws Exception {
        fleet();
        cloudflare.physicalDevices("acc-1", 403, CloudflareStub.error(10000, "Authentication error"));

        assertThat(scan().isSuccessful()).as("the report is complete without the details").isTrue();

        assertThat(readCsv(onlyReport("acc-1", ".csv"))).extracting(row -> row.get("registration_id"), row -> row.get("stale_after"))
                .containsExactly(
                        tuple("contractor-phone", "P14D (profile Contractors)"),
                        // its platform's P60D would have kept it current
                        tuple("iphone", "P30D"),
                        tuple("old-iphone", "P30D"),
                        tuple("laptop", "P30D"));
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/device_details/status").asText()).isEqualTo("unavailable");
        assertThat(windows(report)).containsExactly("default P30D: 5/3", "profile Contractors P14D: 1/1", "profile Kiosks P180D: 1/0",
                "platform ios P60D: 0/0", "platform android P14D: 0/0");
        // iphone, android and laptop: stale by one window their device may get and current by another; old-iphone is stale by all
        assertThat(report.at("/policy/platform_unknown").asLong()).isEqualTo(3);
        assertThat(Files.readString(onlyReport("acc-1", ".html")))
                .contains("3 registrations that a platform&#39;s window could have judged otherwise were judged by sentinel.stale-after "
                        + "(P30D): the devices&#39; details are unavailable (Cloudflare answered HTTP 403");
    }

    @Test
    void aProfileNameWithATypoThatNoRegistrationCarriesIsNamedInOneWarn() throws Exception {
        fleet();
        inventory();

        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            assertThat(scan().isSuccessful()).isTrue();
            logs = captured.text();
        }

        assertThat(logs.lines().filter(line -> line.contains("no registration carries"))).singleElement().asString()
                .startsWith("WARN ").contains("Account acc-1", "the device profile 'Kiosk' of sentinel.stale-after.policies", "a typo?");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/policy/unmatched_profiles").toString()).isEqualTo("[\"Kiosk\"]");
        assertThat(report.at("/policy/windows/2/carried_by").asLong()).isZero();
        // the kiosk falls to the next rule: its platform's P14D makes it stale
        assertThat(readCsv(onlyReport("acc-1", ".csv"))).filteredOn(row -> row.get("registration_id").equals("kiosk")).singleElement()
                .satisfies(row -> assertThat(row.get("stale_after")).isEqualTo("P14D (platform android)"));
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("No registration carries the device profile &#39;Kiosk&#39;");
    }
}
