package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/** Builds Cloudflare "List registrations" answers and serves them from WireMock, page by page. */
final class CloudflareStub {

    static final String TOKEN = "test-token-not-a-secret-0123456789";

    private final WireMockExtension server;
    // what the scan under test asks for (cloudflare.per-page): 2 in most tests
    private int perPage = 2;

    CloudflareStub(WireMockExtension server) {
        this.server = server;
    }

    /** The pages served from now on answer a scan asking for this many registrations per page. */
    CloudflareStub perPage(int registrations) {
        perPage = registrations;
        return this;
    }

    static String path(String accountId) {
        return "/client/v4/accounts/" + accountId + "/devices/registrations";
    }

    /** The request for the page at {@code cursor} (null: the first page) with the filters every page must repeat. */
    static MappingBuilder pageRequest(String accountId, String cursor) {
        return pageRequest(accountId, cursor, 2);
    }

    static MappingBuilder pageRequest(String accountId, String cursor, int perPage) {
        return get(urlPathEqualTo(path(accountId)))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("status", equalTo("all"))
                .withQueryParam("per_page", equalTo(String.valueOf(perPage)))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor));
    }

    /** Serves {@code body} with status 200 at the page of {@code cursor}. */
    void page(String accountId, String cursor, String body) {
        server.stubFor(pageRequest(accountId, cursor, perPage).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /**
     * Answers the page of {@code cursor} with each response in turn, then keeps giving the last
     * one: a fault, then another, then the page.
     */
    void sequence(String accountId, String cursor, ResponseDefinitionBuilder... responses) {
        String scenario = accountId + "@" + cursor;
        for (int i = 0; i < responses.length; i++) {
            ScenarioMappingBuilder step = pageRequest(accountId, cursor, perPage).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer " + i).willReturn(responses[i]);
            server.stubFor(i + 1 < responses.length ? step.willSetStateTo("answer " + (i + 1)) : step);
        }
    }

    static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    void answer(String accountId, String cursor, int status, String body) {
        server.stubFor(pageRequest(accountId, cursor, perPage).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** A success envelope; {@code resultInfo} is the raw JSON of result_info, or null to leave it out. */
    static String envelope(String resultInfo, List<String> registrations) {
        return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
                + String.join(",", registrations) + "]"
                + (resultInfo == null ? "" : ",\"result_info\":" + resultInfo) + "}";
    }

    static String withCursor(String cursor, List<String> registrations) {
        return envelope("{\"count\":" + registrations.size() + ",\"cursor\":\"" + cursor + "\",\"per_page\":2,\"total_count\":null}",
                registrations);
    }

    static String lastPage(List<String> registrations) {
        return withCursor("", registrations);
    }

    /** The answer to GET of one registration (a re-check): its record alone as the result. */
    static String single(String registration) {
        return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + registration + "}";
    }

    static String error(int code, String message) {
        return "{\"success\":false,\"errors\":[{\"code\":" + code + ",\"message\":\"" + message
                + "\"}],\"messages\":[],\"result\":null}";
    }

    /** A registration as Cloudflare documents it; {@code revokedAt} may be null. */
    static String registration(String id, String lastSeenAt, String revokedAt) {
        return registration(id, "Device " + id, lastSeenAt, revokedAt);
    }

    static String registration(String id, String deviceName, String lastSeenAt, String revokedAt) {
        return registration(id, deviceName, id + "@example.com", lastSeenAt, revokedAt);
    }

    static String registration(String id, String deviceName, String userEmail, String lastSeenAt, String revokedAt) {
        return "{\"id\":\"" + id + "\",\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
                + "\"last_seen_at\":" + quoted(lastSeenAt) + ",\"revoked_at\":" + quoted(revokedAt)
                + ",\"deleted_at\":null,\"key\":\"k\",\"key_type\":\"curve25519\",\"tunnel_type\":\"wireguard\","
                + "\"device\":{\"id\":\"dev-" + id + "\",\"name\":" + jsonString(deviceName) + ",\"client_version\":\"2025.1.0\"},"
                + "\"user\":{\"id\":\"usr-" + id + "\",\"email\":" + jsonString(userEmail) + ",\"name\":\"User " + id + "\"}}";
    }

    /** The registration with its device profile, which Cloudflare adds only when asked with include=policy. */
    static String withPolicy(String registration, String policyName) {
        return registration.substring(0, registration.length() - 1)
                + ",\"policy\":{\"id\":\"p1\",\"name\":" + jsonString(policyName) + ",\"default\":false}}";
    }

    /** The registration with another client version than {@link #registration}'s. */
    static String withClientVersion(String registration, String clientVersion) {
        return registration.replace("\"client_version\":\"2025.1.0\"", "\"client_version\":" + jsonString(clientVersion));
    }

    /** The registration of this user ({@code user.id}): another registration of the same person, with another device. */
    static String ofUser(String registration, String userId) {
        return registration.replaceFirst("\"user\":\\{\"id\":\"[^\"]*\"",
                "\"user\":{\"id\":" + Matcher.quoteReplacement(jsonString(userId)));
    }

    /** The registration enrolled with a service token: no user at all. */
    static String withoutUser(String registration) {
        return registration.replaceFirst(",\"user\":\\{[^}]*\\}", "");
    }

    /** A registration last seen this many days before now. */
    static String seenDaysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The physical device of the registration {@code registrationId} (its device.id), as Cloudflare's inventory lists it. */
    static String physicalDevice(String registrationId, String deviceType) {
        return "{\"id\":\"dev-" + registrationId + "\",\"name\":\"Device " + registrationId + "\",\"device_type\":" + quoted(deviceType)
                + ",\"os_version\":\"1.0\",\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
                + "\"last_seen_at\":null,\"active_registrations\":1}";
    }

    /** Answers every look-up in the account's inventory of physical devices with this status and body. */
    void physicalDevices(String accountId, int status, String body) {
        server.stubFor(get(urlPathEqualTo("/client/v4/accounts/" + accountId + "/devices/physical-devices"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static List<String> registrations(String prefix, int count, String lastSeenAt) {
        return java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(i -> registration(prefix + i, lastSeenAt, null)).collect(Collectors.toList());
    }

    private static String quoted(String value) {
        return value == null ? "null" : jsonString(value);
    }

    static String jsonString(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
