package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.error;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.warpsentinel.finding.ScanRun;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * sentinel.devices.enrich against WireMock standing in for Cloudflare's inventory of physical
 * devices: the findings' devices looked up by id or, when that takes more requests, the whole
 * inventory; never more requests than the listing took; a refusal or a failure leaves the report
 * complete and says why.
 */
class DeviceDetailsTest extends ScanRouteTestSupport {

    private static final String DEVICES = "/client/v4/accounts/acc-1/devices/physical-devices";
    private static final String STALE = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.devices.enrich", "true");
        settings.put("cloudflare.retry.initial-delay", "10");
        settings.put("cloudflare.retry.max-retries", "2");
        return settings;
    }

    /** A device of the inventory, as the physical-devices API answers it. */
    private static String device(String id, String type, String serial) {
        return "{\"id\":\"" + id + "\",\"name\":\"n\",\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
                + "\"active_registrations\":1,\"last_seen_at\":\"2026-01-02T03:04:05Z\",\"device_type\":\"" + type + "\","
                + "\"os_version\":\"14.5\",\"manufacturer\":\"Apple\",\"model\":\"MacBookPro18,3\",\"serial_number\":"
                + CloudflareStub.jsonString(serial) + ",\"last_seen_user\":{\"email\":\"someone@example.com\"},\"future_field\":[1]}";
    }

    private static String devicesPage(String cursor, List<String> devices) {
        return CloudflareStub.envelope("{\"count\":" + devices.size() + ",\"cursor\":\"" + cursor + "\"}", devices);
    }

    private static List<LoggedRequest> lookups() {
        return WIREMOCK.findAll(getRequestedFor(urlPathEqualTo(DEVICES)));
    }

    @Test
    void theFindingsDevicesAreLookedUpByIdAndTheirDetailsReachEveryFormat() throws Exception {
        // 4 registrations in 2 pages, 3 findings: their 3 devices in one call of at most 100 ids
        cloudflare.page("acc-1", null, withCursor("p2", List.of(registration("a", STALE, null), registration("current",
                java.time.Instant.now().toString(), null))));
        cloudflare.page("acc-1", "p2", lastPage(List.of(registration("b", STALE, null), registration("c", STALE, "2020-02-01T00:00:00Z"))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(ok(devicesPage("", List.of(device("dev-a", "mac", "C02XK1"),
                device("dev-b", "windows", "=cmd|' /C calc'!A0"), device("dev-c", "ios", "F17Z"))))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(lookups()).singleElement().satisfies(lookup -> {
            assertThat(lookup.queryParameter("id").values()).containsExactly("dev-a", "dev-b", "dev-c");
            assertThat(lookup.queryParameter("active_registrations").firstValue()).as("revoked ones' devices too").isEqualTo("include");
            assertThat(lookup.getHeader("Authorization")).isEqualTo("Bearer " + CloudflareStub.TOKEN);
        });
        Map<String, Map<String, String>> rows = byId(readCsv(onlyReport("acc-1", ".csv")));
        assertThat(rows.get("a")).containsEntry("device_type", "mac").containsEntry("os_version", "14.5").containsEntry("manufacturer", "Apple")
                .containsEntry("model", "MacBookPro18,3").containsEntry("serial_number", "C02XK1")
                .containsEntry("device_last_seen_at", "2026-01-02T03:04:05Z").containsEntry("device_active_registrations", "1");
        assertThat(rows.get("b").get("serial_number")).as("a formula in a serial number is guarded in the CSV").isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(rows.get("c")).containsEntry("device_type", "ios");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/device_details/status").asText()).isEqualTo("complete");
        assertThat(report.at("/device_details/devices").asInt()).isEqualTo(3);
        assertThat(report.at("/device_details/requests").asInt()).isEqualTo(1);
        assertThat(report.at("/findings/1/serial_number").asText()).as("the JSON keeps it as received").isEqualTo("=cmd|' /C calc'!A0");
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("Device details", "complete (3 devices, 1 request)",
                "mac 14.5", "Apple MacBookPro18,3");
    }

    @Test
    void manyDevicesGoAHundredToACall() throws Exception {
        List<String> fleet = IntStream.rangeClosed(1, 250).mapToObj(i -> registration("r" + i, STALE, null)).toList();
        // the listing takes 3 pages: 3 calls of at most 100 ids are no more
        cloudflare.page("acc-1", null, withCursor("p2", fleet.subList(0, 100)));
        cloudflare.page("acc-1", "p2", withCursor("p3", fleet.subList(100, 200)));
        cloudflare.page("acc-1", "p3", lastPage(fleet.subList(200, 250)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(ok(devicesPage("", List.of(device("dev-r1", "linux", "S1"))))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).extracting(lookup -> lookup.queryParameter("id").values().size()).containsExactly(100, 100, 50);
        List<String> asked = new ArrayList<>();
        lookups().forEach(lookup -> asked.addAll(lookup.queryParameter("id").values()));
        assertThat(asked).hasSize(250).doesNotHaveDuplicates();
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/device_details/status").asText()).isEqualTo("complete");
    }

    @Test
    void whereIdsWouldTakeMoreRequestsThanTheListingTheWholeInventoryIsPagedAndNeverPastTheListingsCount() throws Exception {
        // one page of 250 findings: looking them up by id would take 3 requests, the listing took 1
        List<String> fleet = IntStream.rangeClosed(1, 250).mapToObj(i -> registration("r" + i, STALE, null)).toList();
        cloudflare.page("acc-1", null, lastPage(fleet));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(ok(devicesPage("", List.of(device("dev-r7", "android", "S7"))))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).singleElement().satisfies(lookup -> {
            assertThat(lookup.queryParameter("id").isPresent()).as("the whole inventory, not ids").isFalse();
            assertThat(lookup.queryParameter("active_registrations").firstValue()).isEqualTo("include");
        });
        Map<String, Map<String, String>> rows = byId(readCsv(latest(".csv")));
        assertThat(rows.get("r7")).containsEntry("device_type", "android");
        assertThat(rows.get("r8")).containsEntry("device_type", "");

        // an inventory of two pages would take 2 requests, more than the listing's 1: the details are unavailable
        WIREMOCK.resetRequests();
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(ok(devicesPage("next", List.of(device("dev-r7", "android", "S7"))))));
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            assertThat(scan().isSuccessful()).as("the scan is complete all the same").isTrue();
            logs = captured.text();
        }
        assertThat(lookups()).hasSize(1);
        JsonNode report = readJson(latest(".json"));
        assertThat(report.at("/device_details/status").asText()).isEqualTo("unavailable");
        assertThat(report.at("/device_details/reason").asText()).contains("more than the 1 request(s) the registration listing took");
        assertThat(logs).contains("WARN look-up-devices Account acc-1: device details unavailable");
    }

    @Test
    void aRefusalLeavesTheReportCompleteAndSaysWhy() throws Exception {
        for (int status : new int[] {403, 404}) {
            WIREMOCK.resetAll();
            cloudflare.page("acc-1", null, lastPage(List.of(registration("a", STALE, null))));
            WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(aResponse().withStatus(status)
                    .withBody(error(10000, status == 403 ? "Authentication error" : "Not found"))));
            String logs;
            ScanRun run;
            try (CapturedLogs captured = new CapturedLogs()) {
                run = scan();
                logs = captured.text();
            }

            assertThat(run.isSuccessful()).as("HTTP %d: no effect on the exit status", status).isTrue();
            assertThat(lookups()).as("HTTP %d is not retried", status).hasSize(1);
            JsonNode report = readJson(latest(".json"));
            assertThat(report.at("/summary/findings").asInt()).isEqualTo(1);
            assertThat(report.at("/device_details/status").asText()).isEqualTo("unavailable");
            assertThat(report.at("/device_details/reason").asText()).contains("HTTP " + status);
            assertThat(logs.lines().filter(line -> line.contains("device details unavailable"))).as("one WARN").hasSize(1);
            assertThat(Files.readString(latest(".html"))).contains("unavailable: Cloudflare answered HTTP " + status);
        }
    }

    @Test
    void aServerErrorIsRetriedThenLeavesTheDetailsUnavailable() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", STALE, null))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(aResponse().withStatus(503).withBody(error(10001, "Service unavailable"))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(lookups()).as("one try and 2 retries").hasSize(3);
        assertThat(readJson(latest(".json")).at("/device_details/reason").asText()).contains("HTTP 503", "Service unavailable");
    }

    @Test
    void noFindingNoLookUp() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("current", java.time.Instant.now().toString(), null))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).isEmpty();
        assertThat(readJson(latest(".json")).at("/device_details").toString())
                .isEqualTo("{\"status\":\"complete\",\"devices\":0,\"requests\":0}");
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> rows) {
        Map<String, Map<String, String>> byId = new java.util.HashMap<>();
        rows.forEach(row -> byId.put(row.get("registration_id"), row));
        return byId;
    }

    /** The last scan's report (two scans in the same second share a name: the second replaced the first). */
    private java.nio.file.Path latest(String suffix) throws Exception {
        List<java.nio.file.Path> reports = reportFiles(suffix);
        return reports.get(reports.size() - 1);
    }
}
