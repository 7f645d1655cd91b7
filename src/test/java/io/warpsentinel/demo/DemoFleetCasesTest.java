package io.warpsentinel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo fleet shows every case #21's rules need, where DemoCase says: its listing, read over
 * HTTP and judged by a plain reading of the rules (superseded, never-used, service tokens,
 * multi-user devices), finds exactly the registrations of those positions, in a fleet of 10,000
 * on day 0.
 */
class DemoFleetCasesTest {

    static final int SIZE = 10_000;
    static final Instant NOW = Instant.parse("2026-06-01T06:00:00Z");
    private static final Duration SUPERSEDED_AFTER = Duration.ofDays(7);
    private static final String ACCOUNT = "demo-acme-hq";

    private static DemoCloudflareApi api;
    private static DemoApiClient client;
    private static List<Listed> listing;

    /** A registration as a client reads it. */
    record Listed(String id, String device, String user, String email, boolean noUser, boolean revoked, Instant created, Instant lastSeen) {

        static Listed of(JsonNode record) {
            JsonNode user = record.path("user");
            return new Listed(record.get("id").asText(), record.at("/device/id").asText(), user.path("id").asText(""),
                    user.path("email").asText(""), user.isMissingNode() || user.isNull(), !record.path("revoked_at").isNull(),
                    DemoApiClient.instant(record, "created_at"), DemoApiClient.instant(record, "last_seen_at"));
        }
    }

    @BeforeAll
    static void serve() throws Exception {
        api = new DemoCloudflareApi(SIZE, Clock.fixed(NOW, ZoneOffset.UTC)).start(0);
        client = new DemoApiClient(api.baseUrl());
        listing = client.all(registrations(1000)).stream().map(Listed::of).toList();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static String registrations(int perPage) {
        return "/accounts/" + ACCOUNT + "/devices/registrations?status=all&per_page=" + perPage;
    }

    /** The ids of the slots holding one of {@code cases}. */
    private static Set<String> idsOf(Set<DemoCase> cases) {
        DemoFleet fleet = api.fleet(ACCOUNT);
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < fleet.slots(); index++) {
            if (cases.contains(fleet.caseOf(index))) {
                ids.add(fleet.registrationId(index));
            }
        }
        return ids;
    }

    /**
     * #21 §2, plainly: not revoked, and a registration of the same device and the same user (or
     * both without one), not revoked, last seen at least 7 days later. The superseding one's id.
     */
    static Map<String, String> superseded(List<Listed> listing) {
        Map<String, List<Listed>> groups = listing.stream().filter(r -> !r.revoked() && r.lastSeen() != null)
                .collect(Collectors.groupingBy(r -> r.device() + "|" + (r.noUser() ? "" : r.user())));
        Map<String, String> superseded = new HashMap<>();
        for (List<Listed> group : groups.values()) {
            for (Listed older : group) {
                group.stream().filter(newer -> !newer.lastSeen().isBefore(older.lastSeen().plus(SUPERSEDED_AFTER))).findFirst()
                        .ifPresent(newer -> superseded.put(older.id(), newer.id()));
            }
        }
        return superseded;
    }

    /** #21 §2: not revoked, last seen within an hour of its creation, created more than 7 days ago. */
    static Set<String> neverUsed(List<Listed> listing, Instant now) {
        return listing.stream().filter(r -> !r.revoked() && r.lastSeen() != null && r.created() != null)
                .filter(r -> !r.lastSeen().isAfter(r.created().plus(Duration.ofHours(1))))
                .filter(r -> r.created().isBefore(now.minus(Duration.ofDays(7))))
                .map(Listed::id).collect(Collectors.toSet());
    }

    @Test
    void theSupersededAreExactlyTheOlderRegistrationsOfTheGroupsThatHaveANewerOneOfTheSameUser() {
        Map<String, String> superseded = superseded(listing);

        Set<String> expected = idsOf(EnumSet.of(DemoCase.PAIR_OLDER, DemoCase.FAR_OLDER_LATER, DemoCase.TRIO_OLDEST,
                DemoCase.TRIO_MIDDLE, DemoCase.TOKEN_OLDER));
        DemoFleet fleet = api.fleet(ACCOUNT);
        // a far group's older registration is superseded only when its partner is in the fleet
        for (int index = DemoCase.FAR_OLDER.position(); index + DemoCase.FAR < SIZE; index += DemoCase.BLOCK) {
            expected.add(fleet.registrationId(index));
        }
        assertThat(superseded.keySet()).isEqualTo(expected).hasSize(50 + 45 + 45 + 50 + 50 + 50);
        for (int index = DemoCase.PAIR_OLDER.position(); index < SIZE; index += DemoCase.BLOCK) {
            assertThat(superseded).containsEntry(fleet.registrationId(index), fleet.registrationId(index + 1));
        }
        for (int index = DemoCase.FAR_NEWER_FIRST.position(); index + DemoCase.FAR < SIZE; index += DemoCase.BLOCK) {
            assertThat(superseded).containsEntry(fleet.registrationId(index + DemoCase.FAR), fleet.registrationId(index));
        }
        assertThat(superseded.keySet()).as("near duplicates, another user's, before a revoked one: never superseded")
                .doesNotContainAnyElementsOf(idsOf(EnumSet.of(DemoCase.NEAR_OLDER, DemoCase.OTHER_USER_OLDER, DemoCase.BEFORE_REVOKED)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 700, 20})
    void aFarGroupsNewerRegistrationComesPagesAfterItsOlderOne(int perPage) throws Exception {
        Map<String, Integer> pageOf = new HashMap<>();
        List<List<JsonNode>> pages = client.pages(registrations(perPage));
        for (int page = 0; page < pages.size(); page++) {
            for (JsonNode record : pages.get(page)) {
                pageOf.put(record.get("id").asText(), page);
            }
        }
        DemoFleet fleet = api.fleet(ACCOUNT);
        for (int anchor = DemoCase.FAR_OLDER.position(); anchor + DemoCase.FAR < SIZE; anchor += DemoCase.BLOCK) {
            assertThat(pageOf.get(fleet.registrationId(anchor + DemoCase.FAR))).as("the newer of %s", anchor)
                    .isGreaterThan(pageOf.get(fleet.registrationId(anchor)));
        }
        for (int anchor = DemoCase.FAR_NEWER_FIRST.position(); anchor + DemoCase.FAR < SIZE; anchor += DemoCase.BLOCK) {
            assertThat(pageOf.get(fleet.registrationId(anchor + DemoCase.FAR))).as("the older of %s", anchor)
                    .isGreaterThan(pageOf.get(fleet.registrationId(anchor)));
        }
    }

    @Test
    void theNeverUsedAreTheirCaseAloneAndTheirEdgesAreNot() {
        Set<String> neverUsed = neverUsed(listing, NOW);

        assertThat(neverUsed).isEqualTo(idsOf(EnumSet.of(DemoCase.NEVER_USED))).hasSize(50);
        Map<String, Listed> byId = listing.stream().collect(Collectors.toMap(Listed::id, r -> r));
        for (String id : idsOf(EnumSet.of(DemoCase.NEVER_USED_YOUNG))) {
            Listed young = byId.get(id);
            assertThat(Duration.between(young.created(), NOW)).isBetween(Duration.ofDays(6), Duration.ofDays(7).minusHours(1));
            assertThat(Duration.between(young.created(), young.lastSeen()).toSeconds()).isEqualTo(Duration.ofMinutes(10).toSeconds());
        }
        for (String id : idsOf(EnumSet.of(DemoCase.USED_AFTER_61_MINUTES))) {
            Listed used = byId.get(id);
            assertThat(Duration.between(used.created(), used.lastSeen()).toSeconds()).isEqualTo(Duration.ofMinutes(61).toSeconds());
            assertThat(used.created()).isBefore(NOW.minus(Duration.ofDays(7)));
        }
    }

    @Test
    void serviceTokensComeWithoutAUserWithANullUserAndAsANonIdentityUser() {
        Map<String, Long> tokens = new TreeMap<>();
        for (JsonNode record : listingRecords()) {
            JsonNode user = record.path("user");
            String kind = user.isMissingNode() ? "no user" : user.isNull() ? "user null"
                    : user.path("email").asText().startsWith("non_identity@") ? "non_identity@" : null;
            if (kind != null) {
                tokens.merge(kind, 1L, Long::sum);
            }
        }
        assertThat(tokens).containsEntry("no user", 258L).containsEntry("user null", 295L).containsEntry("non_identity@", 200L);
    }

    @Test
    void aDeviceInMultiUserModeHoldsTwoUsersRegistrationsTheOlderOneStale() {
        Map<String, Set<String>> users = new HashMap<>();
        listing.stream().filter(r -> !r.noUser()).forEach(r -> users.computeIfAbsent(r.device(), d -> new HashSet<>()).add(r.user()));
        List<String> shared = users.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();

        assertThat(shared).hasSize(SIZE / DemoCase.BLOCK);
        Map<String, Listed> byId = listing.stream().collect(Collectors.toMap(Listed::id, r -> r));
        for (String id : idsOf(EnumSet.of(DemoCase.OTHER_USER_OLDER))) {
            assertThat(byId.get(id).lastSeen()).isBefore(NOW.minus(Duration.ofDays(90)));
        }
    }

    @Test
    void dayZeroListsEverySlotWithTheDocumentedShares() {
        Instant staleBefore = NOW.minus(Duration.ofDays(30));
        Map<String, Integer> shares = new TreeMap<>();
        for (Listed r : listing) {
            String reason = r.revoked() ? "revoked" : r.lastSeen() == null ? "invalid" : r.lastSeen().isBefore(staleBefore) ? "stale" : "current";
            shares.merge(reason, 1, Integer::sum);
        }
        assertThat(listing).hasSize(SIZE);
        assertThat(shares).isEqualTo(Map.of("current", 6354, "stale", 2525, "revoked", 1088, "invalid", 33));
    }

    private static List<JsonNode> listingRecords() {
        try {
            return client.all(registrations(1000));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
