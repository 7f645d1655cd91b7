package io.warpsentinel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warpsentinel.files.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the demo's API revokes or deletes an active registration, its device and user enrol again
 * (a new registration, created at the time of the call, seen since), as Cloudflare does when the
 * user connects again; and what the API did, with its day, carries over to the next run.
 */
class DemoReEnrolmentTest {

    private static final String ACCOUNT = "demo-acme-hq";
    private static final String LIST = "/accounts/" + ACCOUNT + "/devices/registrations";
    private static final Instant NOW = DemoFleetCasesTest.NOW;
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path folder;

    private static Map<String, JsonNode> listing(DemoApiClient client) throws Exception {
        return client.all(LIST + "?status=all&per_page=1000").stream()
                .collect(Collectors.toMap(record -> record.get("id").asText(), Function.identity()));
    }

    /** The registrations listed now and not before. */
    private static List<JsonNode> added(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        return after.values().stream().filter(record -> !before.containsKey(record.get("id").asText())).toList();
    }

    private static void assertEnrolledAgain(JsonNode removed, List<JsonNode> added) {
        assertThat(added).singleElement().satisfies(again -> {
            assertThat(again.at("/device/id")).isEqualTo(removed.at("/device/id"));
            assertThat(again.at("/device/name")).isEqualTo(removed.at("/device/name"));
            assertThat(again.get("user")).isEqualTo(removed.get("user"));
            assertThat(again.get("revoked_at").isNull()).isTrue();
            assertThat(DemoApiClient.instant(again, "created_at")).isBetween(NOW, NOW.plusSeconds(300));
            assertThat(DemoApiClient.instant(again, "last_seen_at")).isAfter(DemoApiClient.instant(again, "created_at"));
        });
    }

    @Test
    void aRevokedActiveRegistrationsDeviceAndUserEnrolAgainAndTheDeviceKeepsItsActiveCount() throws Exception {
        try (DemoCloudflareApi api = new DemoCloudflareApi(3000, CLOCK).start(0)) {
            DemoApiClient client = new DemoApiClient(api.baseUrl());
            String id = api.fleet(ACCOUNT).registrationId(DemoCase.PAIR_NEWER.position());
            Map<String, JsonNode> before = listing(client);
            String device = "/accounts/" + ACCOUNT + "/devices/physical-devices/" + before.get(id).at("/device/id").asText();
            int active = client.get(device).body().at("/result/active_registrations").asInt();

            assertThat(client.send("POST", LIST + "/revoke?id=" + id + "&id=reg-unknown").status()).isEqualTo(200);
            Map<String, JsonNode> after = listing(client);

            assertThat(DemoApiClient.instant(after.get(id), "revoked_at")).isEqualTo(NOW);
            assertEnrolledAgain(before.get(id), added(before, after));
            assertThat(client.get(device).body().at("/result/active_registrations").asInt()).isEqualTo(active);
            assertThat(client.get(LIST + "/" + added(before, after).get(0).get("id").asText()).status()).isEqualTo(200);

            client.send("POST", LIST + "/revoke?id=" + id);
            client.send("POST", LIST + "/unrevoke?id=" + id);
            Map<String, JsonNode> unrevoked = listing(client);
            assertThat(unrevoked.get(id).get("revoked_at").isNull()).as("unrevoked").isTrue();
            assertThat(added(after, unrevoked)).as("a second revoke of a revoked one enrols nobody").isEmpty();
        }
    }

    @Test
    void aDeletedActiveRegistrationEnrolsAgainAndADeletedRevokedOneDoesNot() throws Exception {
        try (DemoCloudflareApi api = new DemoCloudflareApi(3000, CLOCK).start(0)) {
            DemoApiClient client = new DemoApiClient(api.baseUrl());
            String active = api.fleet(ACCOUNT).registrationId(DemoCase.BLOCK + DemoCase.PAIR_NEWER.position());
            String revoked = api.fleet(ACCOUNT).registrationId(DemoCase.REVOKED_NEWER.position());
            Map<String, JsonNode> before = listing(client);

            assertThat(client.send("DELETE", LIST + "/" + active).status()).isEqualTo(200);
            Map<String, JsonNode> afterOne = listing(client);
            assertThat(client.send("DELETE", LIST + "?id=" + revoked).status()).isEqualTo(200);
            Map<String, JsonNode> afterBoth = listing(client);

            assertThat(afterOne).doesNotContainKey(active);
            assertEnrolledAgain(before.get(active), added(before, afterOne));
            assertThat(afterBoth).doesNotContainKey(revoked);
            assertThat(added(afterOne, afterBoth)).isEmpty();
            assertThat(client.get(LIST + "/" + active).status()).isEqualTo(404);
        }
    }

    @Test
    void theNextRunIsTheNextDayAndKeepsWhatTheApiDid() throws Exception {
        Path file = folder.resolve("reports/demo-cloudflare.jsonl");
        String revoked;
        String enrolled;
        try (DemoCloudflareApi api = new DemoCloudflareApi(3000, CLOCK, DemoJournal.open(file, PrivateFiles.ownerOnly())).start(0)) {
            DemoApiClient client = new DemoApiClient(api.baseUrl());
            Map<String, JsonNode> before = listing(client);
            revoked = api.fleet(ACCOUNT).registrationId(DemoCase.PAIR_NEWER.position());
            client.send("POST", LIST + "/revoke?id=" + revoked);
            enrolled = added(before, listing(client)).get(0).get("id").asText();
        }
        assertThat(Files.readAllLines(file)).hasSize(3).first().isEqualTo("{\"day\":0}");
        Instant tomorrow = NOW.plusSeconds(86_400);
        try (DemoCloudflareApi api = new DemoCloudflareApi(3000, Clock.fixed(tomorrow, ZoneOffset.UTC),
                DemoJournal.open(file, PrivateFiles.ownerOnly())).start(0)) {
            DemoApiClient client = new DemoApiClient(api.baseUrl());
            Map<String, JsonNode> day1 = listing(client);

            assertThat(api.fleet(ACCOUNT).day()).isEqualTo(1);
            assertThat(DemoApiClient.instant(day1.get(revoked), "revoked_at")).isEqualTo(NOW);
            assertThat(DemoApiClient.instant(day1.get(enrolled), "created_at")).isEqualTo(NOW.plusSeconds(30));
            assertThat(DemoApiClient.instant(day1.get(enrolled), "last_seen_at")).isAfter(NOW.plusSeconds(30));
        }
        assertThat(Files.readAllLines(file)).hasSize(4).last().isEqualTo("{\"day\":1}");
    }

    @Test
    void aRunThatNeverListedAnAccountWholeLeavesTheNextOnTheSameDay() throws Exception {
        Path file = folder.resolve("demo-cloudflare.jsonl");
        for (int run = 0; run < 2; run++) {
            try (DemoCloudflareApi api = new DemoCloudflareApi(3000, CLOCK, DemoJournal.open(file, PrivateFiles.ownerOnly())).start(0)) {
                new DemoApiClient(api.baseUrl()).get(LIST + "?status=all&per_page=1");
                assertThat(api.fleet(ACCOUNT).day()).isZero();
            }
        }
        assertThat(file).doesNotExist();
    }
}
