package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device inventory paged beside the listing: when the listing's first page shows that the
 * findings' devices would take more requests by id than the inventory takes pages, a page of the
 * inventory is fetched with each page of registrations (a slow API is waited for once, not twice);
 * otherwise the look-up waits for the listing, by id. Never more requests than the listing took;
 * beside the listing a page is asked once: a refusal makes the details unavailable and never fails
 * the scan, a fault that may pass (429) is asked again after the listing, and a cursor handed out
 * again ends the inventory.
 */
class DeviceInventoryBesideListingTest extends ScanRouteTestSupport {

    private static final String DEVICES = "/client/v4/accounts/acc-1/devices/physical-devices";
    private static final String STALE = "2020-01-01T00:00:00Z";
    // 400 a page: the inventory is worth paging beside the listing from half of a first page wanting devices
    private static final int PER_PAGE = 400;
    private static final String BEGUN = "inventory begun";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.devices.enrich", "true");
        settings.put("cloudflare.per-page", String.valueOf(PER_PAGE));
        settings.put("cloudflare.retry.initial-delay", "50");
        settings.put("cloudflare.retry.max-retries", "6");
        return settings;
    }

    @BeforeEach
    void pagesOfFourHundred() {
        cloudflare.perPage(PER_PAGE);
    }

    private static List<String> registrations(String prefix, int count, String lastSeen) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> registration(prefix + i, lastSeen, null)).toList();
    }

    private static String device(String id, String type) {
        return "{\"id\":\"" + id + "\",\"name\":\"n\",\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
                + "\"active_registrations\":1,\"last_seen_at\":\"2026-01-02T03:04:05Z\",\"device_type\":\"" + type + "\","
                + "\"hardware\":{\"nested\":[1,{\"deep\":true}]},\"model\":\"M\"}";
    }

    private static String devicesPage(String cursor, List<String> devices) {
        return CloudflareStub.envelope("{\"count\":" + devices.size() + ",\"cursor\":\"" + cursor + "\"}", devices);
    }

    /** Every finding reported all the same, the device details unavailable for this reason. */
    private void assertReportedWithDetailsUnavailable(int findings, String reason) throws Exception {
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/summary/findings").asInt()).isEqualTo(findings);
        assertThat(report.at("/device_details/status").asText()).isEqualTo("unavailable");
        assertThat(report.at("/device_details/reason").asText()).contains(reason);
    }

    private static List<LoggedRequest> lookups() {
        return WIREMOCK.findAll(getRequestedFor(urlPathEqualTo(DEVICES)));
    }

    /**
     * The listing's last page is answered only once the inventory's first page was asked for
     * (before that: 503, retried): a look-up that waited for the listing would fail it.
     */
    private void lastListingPageOnceTheInventoryIsBegun(String cursor, String body) {
        WIREMOCK.stubFor(CloudflareStub.pageRequest("acc-1", cursor, PER_PAGE).inScenario("beside").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(error(10001, "not before the inventory"))));
        WIREMOCK.stubFor(CloudflareStub.pageRequest("acc-1", cursor, PER_PAGE).inScenario("beside").whenScenarioStateIs(BEGUN)
                .willReturn(ok(body)));
    }

    /** The inventory's first page, which begins it, and its second and last one. */
    private void inventoryOfTwoPages(List<String> first, List<String> second) {
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", absent()).inScenario("beside")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo(BEGUN).willReturn(ok(devicesPage("d2", first))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", equalTo("d2")).willReturn(ok(devicesPage("", second))));
    }

    @Test
    void aFirstPageOfFindingsHasTheInventoryPagedWhileTheListingGoesOn() throws Exception {
        // 3 pages, nearly all stale: 250 devices by id take 3 requests, the inventory 2 pages
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        cloudflare.page("acc-1", "p2", withCursor("p3", registrations("b", 100, STALE)));
        List<String> last = new ArrayList<>(registrations("c", 49, STALE));
        last.add(registration("current", Instant.now().toString(), null));
        lastListingPageOnceTheInventoryIsBegun("p3", lastPage(last));
        List<String> firstDevices = IntStream.rangeClosed(1, 100).mapToObj(i -> device("dev-a" + i, "mac")).collect(Collectors.toList());
        firstDevices.add(device("dev-not-a-finding", "linux"));
        inventoryOfTwoPages(firstDevices, List.of(device("dev-c49", "windows"), device("dev-current", "ios")));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).hasSize(2).allSatisfy(lookup -> {
            assertThat(lookup.queryParameter("id").isPresent()).as("the whole inventory").isFalse();
            assertThat(lookup.queryParameter("active_registrations").firstValue()).isEqualTo("include");
        });
        Map<String, Map<String, String>> rows = rows();
        assertThat(rows).hasSize(249);
        assertThat(rows.get("a1")).containsEntry("device_type", "mac").containsEntry("model", "M");
        assertThat(rows.get("a100")).containsEntry("device_type", "mac");
        assertThat(rows.get("c49")).as("a device of the page read after the listing").containsEntry("device_type", "windows");
        assertThat(rows.get("b7")).as("not in the inventory").containsEntry("device_type", "");
        JsonNode details = readJson(onlyReport("acc-1", ".json")).at("/device_details");
        assertThat(details.get("status").asText()).isEqualTo("complete");
        assertThat(details.get("devices").asInt()).as("only the findings' devices are kept").isEqualTo(101);
        assertThat(details.get("requests").asInt()).isEqualTo(2);
    }

    @Test
    void aFirstPageOfFewFindingsLeavesTheLookUpByIdAfterTheListing() throws Exception {
        List<String> first = new ArrayList<>(registrations("now", 80, Instant.now().toString()));
        first.addAll(registrations("a", 20, STALE));
        cloudflare.page("acc-1", null, withCursor("p2", first));
        cloudflare.page("acc-1", "p2", lastPage(registrations("b", 100, STALE)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).willReturn(ok(devicesPage("", List.of(device("dev-b1", "mac"))))));

        assertThat(scan().isSuccessful()).isTrue();

        // 120 findings' devices: 2 requests by id, no more than the listing's 2 pages
        assertThat(lookups()).extracting(lookup -> lookup.queryParameter("id").values().size()).containsExactly(100, 20);
        LoggedRequest lastPage = WIREMOCK.findAll(getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1")))).get(1);
        assertThat(lookups().get(0).getLoggedDate()).as("after the listing").isAfterOrEqualTo(lastPage.getLoggedDate());
    }

    @Test
    void aFailureBesideTheListingMakesTheDetailsUnavailableAndTheScanGoesOn() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        cloudflare.page("acc-1", "p2", withCursor("p3", registrations("b", 100, STALE)));
        lastListingPageOnceTheInventoryIsBegun("p3", lastPage(registrations("c", 50, STALE)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).inScenario("beside").whenScenarioStateIs(Scenario.STARTED).willSetStateTo(BEGUN)
                .willReturn(aResponse().withStatus(403).withBody(error(10000, "Authentication error"))));

        assertThat(scan().isSuccessful()).as("the listing and its reports are complete all the same").isTrue();

        assertThat(lookups()).as("a refusal is not retried, nor asked again after the listing").hasSize(1);
        assertReportedWithDetailsUnavailable(250, "HTTP 403");
    }

    @Test
    void aPageRateLimitedBesideTheListingIsNotWaitedForThereButAskedAgainAfterIt() throws Exception {
        // Retry-After past sentinel.max-wait: waited for beside the listing, it would make the details unavailable
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        cloudflare.page("acc-1", "p2", withCursor("p3", registrations("b", 100, STALE)));
        cloudflare.page("acc-1", "p3", lastPage(registrations("c", 50, STALE)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", absent())
                .willReturn(ok(devicesPage("d2", List.of(device("dev-a1", "mac"))))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", equalTo("d2")).inScenario("beside")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600").withBody(error(10429, "rate limited"))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", equalTo("d2")).inScenario("beside")
                .whenScenarioStateIs("limited").willReturn(ok(devicesPage("", List.of(device("dev-c50", "windows"))))));

        assertThat(scan().isSuccessful()).isTrue();

        List<LoggedRequest> lookups = lookups();
        assertThat(lookups).hasSize(3);
        LoggedRequest lastPage = WIREMOCK.findAll(getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1")))).get(2);
        assertThat(lookups.get(2).getLoggedDate()).as("asked again after the listing").isAfterOrEqualTo(lastPage.getLoggedDate());
        assertThat(lookups.get(2).queryParameter("cursor").firstValue()).as("the same page again").isEqualTo("d2");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/device_details/status").asText()).isEqualTo("complete");
        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("a1")).containsEntry("device_type", "mac");
        assertThat(rows.get("c50")).containsEntry("device_type", "windows");
    }

    @Test
    void aFirstPageRateLimitedBesideTheListingLeavesTheLookUpToBePlannedAfterIt() throws Exception {
        // the first page was the only one with findings: 100 devices by id take 1 request, the inventory more
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        cloudflare.page("acc-1", "p2", withCursor("p3", registrations("now", 100, Instant.now().toString())));
        cloudflare.page("acc-1", "p3", lastPage(registrations("later", 50, Instant.now().toString())));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("id", absent()).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3600").withBody(error(10429, "rate limited"))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("id", equalTo("dev-a1"))
                .willReturn(ok(devicesPage("", List.of(device("dev-a1", "mac"))))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).extracting(lookup -> lookup.queryParameter("id").isPresent() ? lookup.queryParameter("id").values().size() : 0)
                .as("the inventory's first page, then the findings' devices by id").containsExactly(0, 100);
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/device_details/status").asText()).isEqualTo("complete");
        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("a1")).containsEntry("device_type", "mac");
    }

    @Test
    void anInventoryThatHandsOutACursorAgainStopsThereAndTheDetailsAreUnavailable() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        cloudflare.page("acc-1", "p2", withCursor("p3", registrations("b", 100, STALE)));
        cloudflare.page("acc-1", "p3", withCursor("p4", registrations("c", 100, STALE)));
        cloudflare.page("acc-1", "p4", lastPage(registrations("d", 100, STALE)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", absent()).willReturn(ok(devicesPage("d2",
                List.of(device("dev-a1", "mac"))))));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).withQueryParam("cursor", equalTo("d2")).willReturn(ok(devicesPage("d2",
                List.of(device("dev-a2", "mac"))))));

        assertThat(scan().isSuccessful()).as("the listing and its reports are complete all the same").isTrue();

        assertThat(lookups()).as("the page that repeats a cursor is the last one asked").hasSize(2);
        assertReportedWithDetailsUnavailable(400, "cursor of an earlier page again");
    }

    @Test
    void theInventoryBeginsWithTheFirstTurnBesideTheListingsSecondPage() throws Exception {
        // the second page is the last: paged from the second turn, the inventory would begin only after it
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 100, STALE)));
        lastListingPageOnceTheInventoryIsBegun("p2", lastPage(registrations("b", 50, STALE)));
        WIREMOCK.stubFor(get(urlPathEqualTo(DEVICES)).inScenario("beside").whenScenarioStateIs(Scenario.STARTED).willSetStateTo(BEGUN)
                .willReturn(ok(devicesPage("", List.of(device("dev-a1", "mac"), device("dev-b50", "linux"))))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(lookups()).hasSize(1);
        Map<String, Map<String, String>> rows = rows();
        assertThat(rows).as("the first page, looked at before it was judged, is reported whole").hasSize(150);
        assertThat(rows.get("a1")).containsEntry("device_type", "mac");
        assertThat(rows.get("b50")).containsEntry("device_type", "linux");
    }
}
