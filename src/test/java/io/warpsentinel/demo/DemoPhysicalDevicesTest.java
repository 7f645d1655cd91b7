package io.warpsentinel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo API's physical devices (API-NOTES.md, "Physical devices"), over HTTP on loopback, against its registrations. */
class DemoPhysicalDevicesTest {

    private static final String ACCOUNT = "demo-acme-labs";
    private static final String DEVICES = "/accounts/" + ACCOUNT + "/devices/physical-devices";

    private static DemoCloudflareApi api;
    private static DemoApiClient client;
    private static List<JsonNode> registrations;
    private static List<JsonNode> devices;

    @BeforeAll
    static void serve() throws Exception {
        api = new DemoCloudflareApi(3000, Clock.fixed(DemoFleetCasesTest.NOW, ZoneOffset.UTC)).start(0);
        client = new DemoApiClient(api.baseUrl());
        registrations = client.all("/accounts/" + ACCOUNT + "/devices/registrations?status=all&per_page=1000");
        devices = client.all(DEVICES + "?active_registrations=include&per_page=1000");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(record -> record.get("id").asText()).toList();
    }

    @Test
    void eachDeviceSaysWhatItsRegistrationsSayTheirActiveCountTheirLastContactAndItsUser() {
        Map<String, List<JsonNode>> byDevice = registrations.stream().collect(Collectors.groupingBy(r -> r.at("/device/id").asText()));
        assertThat(ids(devices)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(byDevice.keySet());
        assertThat(devices.size()).as("groups share a device").isLessThan(registrations.size());
        for (JsonNode device : devices) {
            List<JsonNode> its = byDevice.get(device.get("id").asText());
            assertThat(device.get("name").asText()).isEqualTo(its.get(0).at("/device/name").asText());
            assertThat(device.get("active_registrations").asInt()).as(device.toString())
                    .isEqualTo(its.stream().filter(r -> r.path("revoked_at").isNull()).count());
            JsonNode last = its.stream().filter(r -> DemoApiClient.instant(r, "last_seen_at") != null)
                    .max(Comparator.comparing(r -> DemoApiClient.instant(r, "last_seen_at"))).orElse(null);
            if (last == null) {
                assertThat(device.get("last_seen_at").isNull()).as(device.toString()).isTrue();
                assertThat(device.get("last_seen_user").isNull()).isTrue();
            } else {
                assertThat(DemoApiClient.instant(device, "last_seen_at")).isEqualTo(DemoApiClient.instant(last, "last_seen_at"));
                assertThat(device.get("last_seen_user")).isEqualTo(last.path("user").isMissingNode() ? NullNode.instance : last.get("user"));
                assertThat(device.path("client_version").asText(null)).isEqualTo(last.at("/device/client_version").asText(null));
            }
            assertThat(DemoApiClient.instant(device, "created_at")).isBefore(its.stream()
                    .map(r -> DemoApiClient.instant(r, "created_at")).min(Comparator.naturalOrder()).orElseThrow());
        }
        assertThat(devices).filteredOn(d -> d.get("active_registrations").asInt() > 1).as("devices with two active registrations").isNotEmpty();
        assertThat(devices).filteredOn(d -> d.get("last_seen_at").isNull()).as("a device never seen readably").isNotEmpty();
    }

    @Test
    void byDefaultADeviceWithoutAnActiveRegistrationIsLeftOutAndExcludeListsOnlyThose() throws Exception {
        Set<String> active = devices.stream().filter(d -> d.get("active_registrations").asInt() > 0).map(d -> d.get("id").asText())
                .collect(Collectors.toSet());

        List<String> only = ids(client.all(DEVICES + "?per_page=1000"));
        List<String> exclude = ids(client.all(DEVICES + "?active_registrations=exclude&per_page=1000"));

        assertThat(only).containsExactlyElementsOf(ids(devices).stream().filter(active::contains).toList());
        assertThat(exclude).isNotEmpty().containsExactlyElementsOf(ids(devices).stream().filter(id -> !active.contains(id)).toList());
        assertThat(client.all(DEVICES + "?active_registrations=only&per_page=1000")).hasSameSizeAs(only);
    }

    @Test
    void pagesAreCappedDefaultedAndFollowAnOpaqueCursorToAnEmptyOne() throws Exception {
        DemoApiClient.Answer first = client.get(DEVICES + "?active_registrations=include");
        assertThat(first.body().at("/result_info/per_page").asInt()).isEqualTo(20);
        assertThat(first.body().get("result")).hasSize(20);
        assertThat(first.body().at("/result_info/cursor").asText()).containsAnyOf("+", "/", "=");
        assertThat(client.get(DEVICES + "?per_page=5000").body().at("/result_info/per_page").asInt()).isEqualTo(DemoCloudflareApi.MAX_PER_PAGE);

        List<List<JsonNode>> pages = client.pages(DEVICES + "?active_registrations=include&per_page=700");
        assertThat(pages).hasSize((devices.size() + 699) / 700);
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(devices);
    }

    @Test
    void repeatedIdsFilterTheListingInTheFleetsOrderUnknownOnesIgnored() throws Exception {
        JsonNode withoutActive = devices.stream().filter(d -> d.get("active_registrations").asInt() == 0).findFirst().orElseThrow();
        List<String> asked = List.of(devices.get(42).get("id").asText(), withoutActive.get("id").asText(), devices.get(7).get("id").asText());
        String query = asked.stream().map(id -> "id=" + id).collect(Collectors.joining("&")) + "&id=dev-00000007-0000-4000-a000-000000000000";

        List<List<JsonNode>> pages = client.pages(DEVICES + "?" + query + "&active_registrations=include&per_page=2");
        List<JsonNode> defaulted = client.all(DEVICES + "?" + query);

        assertThat(pages).hasSize(2);
        List<String> inFleetOrder = ids(devices).stream().filter(asked::contains).toList();
        assertThat(ids(pages.stream().flatMap(List::stream).toList())).containsExactlyElementsOf(inFleetOrder);
        assertThat(ids(defaulted)).as("active_registrations=only by default")
                .containsExactlyElementsOf(inFleetOrder.stream().filter(id -> !id.equals(asked.get(1))).toList());
    }

    @Test
    void oneDeviceIsTheListingsRecordAndAnUnknownOneIsA404WithTheErrorEnvelope() throws Exception {
        JsonNode device = devices.get(123);

        DemoApiClient.Answer one = client.get(DEVICES + "/" + device.get("id").asText());
        DemoApiClient.Answer unknown = client.get(DEVICES + "/dev-00000001-0000-4000-a000-000000000000");

        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().get("result")).isEqualTo(device);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("success").asBoolean()).isFalse();
        assertThat(unknown.body().at("/errors/0/message").asText()).isEqualTo("Device not found");
    }

    @Test
    void badInputIsAnsweredWithTheErrorEnvelope() throws Exception {
        for (String bad : List.of("?active_registrations=some", "?cursor=bm90LWEtY3Vyc29y", "?per_page=many")) {
            DemoApiClient.Answer answer = client.get(DEVICES + bad);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.body().get("success").asBoolean()).isFalse();
            assertThat(answer.body().get("result").isNull()).isTrue();
        }
        assertThat(client.send("DELETE", DEVICES + "/" + devices.get(0).get("id").asText()).status()).isEqualTo(405);
    }

    @Test
    void someDevicesHoldValuesAReportMustNotTrust() {
        Map<String, Long> seen = new HashMap<>();
        for (JsonNode device : devices) {
            device.fields().forEachRemaining(field -> {
                String value = field.getValue().asText();
                if (value.equals("=cmd|' /C calc'!A0") || value.equals("<img src=x onerror=alert(1)>")
                        || value.equals("[click](https://evil.example)")) {
                    seen.merge(field.getKey() + " " + value, 1L, Long::sum);
                } else if (value.length() > 1000) {
                    seen.merge(field.getKey() + " longer than 1,000 characters", 1L, Long::sum);
                }
            });
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrder("serial_number =cmd|' /C calc'!A0", "model <img src=x onerror=alert(1)>",
                "model [click](https://evil.example)", "os_version_extra longer than 1,000 characters",
                "manufacturer longer than 1,000 characters");
        assertThat(devices.stream().map(d -> d.get("device_type").asText("(none)")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("windows", "mac", "linux", "android", "ios", "chromeos", "(none)");
        assertThat(devices).allSatisfy(device -> assertThat(device.fieldNames()).toIterable().containsExactly("id", "name", "created_at",
                "updated_at", "active_registrations", "last_seen_at", "device_type", "os_version", "os_version_extra", "manufacturer",
                "model", "serial_number", "hardware_id", "mac_address", "client_version", "deleted_at", "last_seen_user"));
    }

    @Test
    void withoutATokenItAnswers401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + DEVICES)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"success\":false", "Authentication error");
    }
}
