package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules superseded and never-used through the real routes, at their edges: a newer
 * registration listed pages after the older one, exactly P7D apart or a second less, another
 * user on the same device, a revoked newer one, service tokens, and the precedence invalid,
 * revoked, superseded, never-used, stale.
 */
class SupersededAndNeverUsedTest extends ScanRouteTestSupport {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static String at(Instant instant) {
        return instant.toString();
    }

    private static Instant daysAgo(long days) {
        return NOW.minus(days, ChronoUnit.DAYS);
    }

    /** A registration of {@code device} and {@code user} (null: none, a service token), created at {@code created}. */
    private static String registration(String id, String device, String user, Instant created, Instant lastSeen, Instant revoked) {
        return "{\"id\":\"" + id + "\",\"created_at\":\"" + at(created) + "\",\"updated_at\":\"" + at(lastSeen) + "\",\"last_seen_at\":\""
                + at(lastSeen) + "\",\"revoked_at\":" + (revoked == null ? "null" : "\"" + at(revoked) + "\"") + ",\"key\":\"k\","
                + "\"device\":{\"id\":\"" + device + "\",\"name\":\"Device " + id + "\"},"
                + (user == null ? "\"user\":null" : "\"user\":{\"id\":\"" + user + "\",\"email\":\"" + user + "@example.com\",\"name\":\"U\"}")
                + "}";
    }

    private static String seen(String id, String device, String user, Instant lastSeen) {
        return registration(id, device, user, daysAgo(400), lastSeen, null);
    }

    @Test
    void aNewerRegistrationOfTheSameDeviceAndUserSupersedesAnOlderOneEvenPagesLater() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", List.of(
                seen("old", "laptop", "alice", daysAgo(20)),
                seen("exactly-7", "phone", "bob", daysAgo(17)))));
        cloudflare.page("acc-1", "p2", withCursor("p3", List.of(
                seen("a-second-short", "tablet", "carol", daysAgo(17).plusSeconds(1)),
                seen("other-user-old", "shared-pc", "dave", daysAgo(40)))));
        cloudflare.page("acc-1", "p3", withCursor("p4", List.of(
                seen("other-user-new", "shared-pc", "erin", daysAgo(1)),
                seen("token-old", "kiosk", null, daysAgo(50)))));
        cloudflare.page("acc-1", "p4", lastPage(List.of(
                seen("token-new", "kiosk", null, daysAgo(2)),
                seen("new", "laptop", "alice", daysAgo(1)),
                seen("phone-new", "phone", "bob", daysAgo(10)),
                seen("tablet-new", "tablet", "carol", daysAgo(10)))));

        assertThat(scan().isSuccessful()).isTrue();

        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("old")).containsEntry("reason", "superseded").containsEntry("superseded_by", "new");
        assertThat(rows.get("exactly-7")).as("7 days apart exactly: superseded").containsEntry("reason", "superseded")
                .containsEntry("superseded_by", "phone-new");
        assertThat(rows).as("a second under 7 days apart: not superseded (and seen 17 days ago: not stale)").doesNotContainKey("a-second-short");
        assertThat(rows.get("other-user-old")).as("another user on the same device never supersedes it").containsEntry("reason", "stale")
                .containsEntry("superseded_by", "");
        assertThat(rows.get("token-old")).as("both without a user").containsEntry("reason", "superseded")
                .containsEntry("superseded_by", "token-new").containsEntry("enrolled_by", "service-token");
        assertThat(rows).doesNotContainKeys("new", "phone-new", "tablet-new", "token-new", "other-user-new");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/superseded").asInt()).isEqualTo(3);
    }

    @Test
    void aRegistrationJudgedDuringTheListingIsOneNoLaterPageCanSupersedeTheClockSkewIncluded() throws Exception {
        // Seen 6.5 days ago: within P7D of now, but a newer registration may be seen up to a day
        // ahead of the scan's clock, and 12 hours ahead supersedes it. Seen 5 days ago: nothing
        // judged (at most a day ahead) can be 7 days newer.
        cloudflare.page("acc-1", null, withCursor("p2", List.of(
                seen("six-and-a-half-days", "pc", "zoe", NOW.minus(156, ChronoUnit.HOURS)),
                seen("five-days", "mac", "yan", daysAgo(5)))));
        cloudflare.page("acc-1", "p2", lastPage(List.of(
                seen("ahead", "pc", "zoe", NOW.plus(12, ChronoUnit.HOURS)),
                seen("mac-ahead", "mac", "yan", NOW.plus(23, ChronoUnit.HOURS)))));

        assertThat(scan().isSuccessful()).isTrue();

        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("six-and-a-half-days")).containsEntry("reason", "superseded").containsEntry("superseded_by", "ahead");
        assertThat(rows).doesNotContainKeys("five-days", "ahead", "mac-ahead");
    }

    @Test
    void aRevokedRegistrationSupersedesNothingAndIsReportedRevoked() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(
                seen("older", "laptop", "alice", daysAgo(20)),
                registration("revoked-newer", "laptop", "alice", daysAgo(400), daysAgo(1), daysAgo(1)),
                registration("revoked-older", "phone", "bob", daysAgo(400), daysAgo(60), daysAgo(59)),
                seen("phone-new", "phone", "bob", daysAgo(1)))));

        assertThat(scan().isSuccessful()).isTrue();

        Map<String, Map<String, String>> rows = rows();
        assertThat(rows).as("its newer registration is revoked: not superseded, and seen 20 days ago: not stale").doesNotContainKey("older");
        assertThat(rows.get("revoked-newer")).containsEntry("reason", "revoked");
        assertThat(rows.get("revoked-older")).as("revoked wins over superseded").containsEntry("reason", "revoked")
                .containsEntry("superseded_by", "");
    }

    @Test
    void aTimeOutsideANanosecondCountsRangeIsJudgedNotAFailedScan() throws Exception {
        // RFC 3339 allows years 0000 to 9999: a "zero time" (Go's, for never) and year 9999 are
        // past what nanoseconds since 1970 hold in a long (1677 to 2262); the newer of two such times supersedes
        Instant zeroTime = Instant.parse("0001-01-01T00:00:00Z");
        cloudflare.page("acc-1", null, withCursor("p2", List.of(
                seen("zero-time", "old-pc", "amy", zeroTime),
                seen("year-1500", "old-pc", "amy", Instant.parse("1500-06-01T00:00:00Z")),
                seen("year-1600", "older-pc", "bea", Instant.parse("1600-06-01T00:00:00Z")),
                seen("zero-time-replaced", "pc", "cy", zeroTime))));
        cloudflare.page("acc-1", "p2", lastPage(List.of(
                seen("year-9999", "future-pc", "bo", Instant.parse("9999-12-31T23:59:59Z")),
                seen("zero-time-listed-after", "older-pc", "bea", zeroTime),
                seen("cy-now", "pc", "cy", daysAgo(1)))));

        assertThat(scan().isSuccessful()).isTrue();

        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("zero-time")).containsEntry("reason", "superseded").containsEntry("superseded_by", "year-1500")
                .containsEntry("last_seen_at", "0001-01-01T00:00:00Z");
        assertThat(rows.get("year-1500")).containsEntry("reason", "stale").containsEntry("superseded_by", "");
        assertThat(rows.get("zero-time-listed-after")).as("whichever is listed first").containsEntry("reason", "superseded")
                .containsEntry("superseded_by", "year-1600");
        assertThat(rows.get("zero-time-replaced")).containsEntry("reason", "superseded").containsEntry("superseded_by", "cy-now");
        assertThat(rows.get("year-9999")).containsEntry("reason", "invalid")
                .containsEntry("note", "last_seen_at is in the future (more than a day after the scan started)");
        assertThat(rows).doesNotContainKey("cy-now");
    }

    @Test
    void aRegistrationNeverSeenAfterItsEnrolmentLongAgoIsNeverUsed() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(
                registration("idle", "d1", "u1", daysAgo(8), daysAgo(8).plusSeconds(59 * 60), null),
                registration("an-hour-exactly", "d2", "u2", daysAgo(8), daysAgo(8).plusSeconds(3600), null),
                registration("61-minutes", "d3", "u3", daysAgo(40), daysAgo(40).plusSeconds(61 * 60), null),
                registration("enrolled-6-days-ago", "d4", "u4", daysAgo(6), daysAgo(6).plusSeconds(60), null),
                // never used, long ago: never-used wins over stale; and superseded wins over never-used
                registration("idle-and-old", "d5", "u5", daysAgo(100), daysAgo(100), null),
                registration("idle-replaced", "d6", "u6", daysAgo(100), daysAgo(100), null),
                seen("replacement", "d6", "u6", daysAgo(1)),
                registration("idle-revoked", "d7", "u7", daysAgo(100), daysAgo(100), daysAgo(99)))));

        assertThat(scan().isSuccessful()).isTrue();

        Map<String, Map<String, String>> rows = rows();
        assertThat(rows.get("idle")).containsEntry("reason", "never-used");
        assertThat(rows.get("an-hour-exactly")).as("within PT1H, the edge included").containsEntry("reason", "never-used");
        assertThat(rows.get("61-minutes")).as("seen 61 minutes after: used; 40 days ago: stale").containsEntry("reason", "stale");
        assertThat(rows).as("enrolled 6 days ago: not judged never-used yet").doesNotContainKey("enrolled-6-days-ago");
        assertThat(rows.get("idle-and-old")).containsEntry("reason", "never-used");
        assertThat(rows.get("idle-replaced")).containsEntry("reason", "superseded").containsEntry("superseded_by", "replacement");
        assertThat(rows.get("idle-revoked")).containsEntry("reason", "revoked");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/never-used").asInt()).isEqualTo(3);
    }
}
