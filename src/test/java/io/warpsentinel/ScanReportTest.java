package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.report.ReportFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScanReportTest extends ScanRouteTestSupport {

    private static final Instant NOW = Instant.now();
    private static final String RECENT = NOW.minus(2, ChronoUnit.DAYS).toString();
    private static final String LONG_AGO = NOW.minus(90, ChronoUnit.DAYS).toString();

    @Test
    void reportsExactlyTheStaleRevokedAndInvalidRegistrations() throws Exception {
        cloudflare.page("acc-1", null, withCursor("next", List.of(
                registration("current", RECENT, null),
                registration("stale", LONG_AGO, null))));
        cloudflare.page("acc-1", "next", withCursor("last", List.of(
                registration("revoked-recently-seen", RECENT, NOW.minus(1, ChronoUnit.DAYS).toString()),
                registration("revoked-and-stale", LONG_AGO, "2025-06-01T10:00:00+02:00"))));
        cloudflare.page("acc-1", "last", lastPage(List.of(
                registration("no-last-seen", null, null),
                registration("garbage-last-seen", "yesterday", null),
                // service-token enrolment: user null, no client_version, fields this client does not know
                "{\"id\":\"service-token\",\"last_seen_at\":\"2024-01-01T00:00:00.123456789-03:00\",\"revoked_at\":null,"
                        + "\"user\":null,\"device\":{\"id\":\"dev-st\",\"name\":\"svc\",\"extra\":[1,2]},\"brand_new_field\":{\"a\":[{}]}}",
                "{\"id\":\"no-user\",\"last_seen_at\":\"" + RECENT + "\",\"device\":{\"id\":\"dev-nu\",\"name\":\"nu\"}}")));

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        List<Map<String, String>> rows = readCsv(onlyReport("acc-1", ".csv"));
        // a registration a later page may supersede (stale, of a named device) is judged after the listing, its row after the others
        assertThat(rows).extracting(r -> r.get("registration_id"), r -> r.get("reason")).containsExactly(
                tuple("revoked-recently-seen", "revoked"),
                tuple("revoked-and-stale", "revoked"),
                tuple("no-last-seen", "invalid"),
                tuple("garbage-last-seen", "invalid"),
                tuple("stale", "stale"),
                tuple("service-token", "stale"));
        Map<String, Map<String, String>> byId = rows.stream().collect(Collectors.toMap(r -> r.get("registration_id"), r -> r));
        assertThat(byId.get("stale")).containsEntry("days_since_seen", "90").containsEntry("user_email", "stale@example.com")
                .containsEntry("device_id", "dev-stale").containsEntry("key_type", "curve25519")
                .containsEntry("tunnel_type", "wireguard").containsEntry("client_version", "2025.1.0");
        assertThat(byId.get("revoked-and-stale")).containsEntry("revoked_at", "2025-06-01T10:00:00+02:00");
        assertThat(byId.get("no-last-seen")).containsEntry("days_since_seen", "").containsEntry("note", "last_seen_at is missing");
        assertThat(byId.get("garbage-last-seen")).containsEntry("last_seen_at", "yesterday")
                .containsEntry("note", "last_seen_at is not an RFC 3339 timestamp");
        assertThat(byId.get("service-token")).containsEntry("user_id", "").containsEntry("user_email", "").containsEntry("client_version", "")
                .containsEntry("enrolled_by", "service-token");
        assertThat(byId.get("stale")).containsEntry("enrolled_by", "user").containsEntry("stale_after", "P30D").containsEntry("superseded_by", "");

        JsonNode json = readJson(onlyReport("acc-1", ".json"));
        assertThat(json.get("account_id").asText()).isEqualTo("acc-1");
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("all_clear").asBoolean()).isFalse();
        assertThat(json.at("/policy/stale_after").asText()).isEqualTo("P30D");
        assertThat(json.at("/policy/request_filters").asText()).isEqualTo("status=all&per_page=2");
        assertThat(Instant.parse(json.at("/policy/stale_before").asText()))
                .isEqualTo(Instant.parse(json.get("scan_started_at").asText()).minus(30, ChronoUnit.DAYS));
        assertThat(json.get("summary").toString()).isEqualTo(
                "{\"scanned\":8,\"stale\":2,\"revoked\":2,\"invalid\":2,\"superseded\":0,\"never-used\":0,\"findings\":6,\"new\":6,"
                        + "\"still\":0,\"recovered\":0,\"gone\":0,\"excluded\":0,\"service_tokens\":1,\"re_enrolled\":0,\"alerts_due\":6,"
                        + "\"duplicates\":0,\"pages\":3}");
        assertThat(json.get("findings")).extracting(f -> f.get("registration_id").asText())
                .containsExactlyElementsOf(rows.stream().map(r -> r.get("registration_id")).toList());
        assertThat(json.at("/findings/0/days_since_seen").isNumber()).isTrue();
        assertThat(json.at("/findings/5/user_email").isNull()).isTrue();
    }

    @Test
    void deviceNamesSurviveTheCsvRoundTripWhateverTheyContain() throws Exception {
        List<String> names = List.of("Kiosk, Lobby \"2\"", "line\nbreak", "Müller-Lüdenscheidt 山田のPC", "<script>alert(1)</script>",
                "  padded  ", "=cmd|' /C calc'!A0", "tab\there;semi");
        List<String> page = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            page.add(registration("r" + i, names.get(i), LONG_AGO, null));
        }
        cloudflare.page("acc-1", null, lastPage(page));

        scan();

        Path csv = onlyReport("acc-1", ".csv");
        // the CSV guards the formula (sentinel.report.csv-formula-guard); the JSON keeps every name as received
        assertThat(readCsv(csv)).extracting(r -> r.get("device_name")).containsExactlyElementsOf(
                names.stream().map(name -> name.startsWith("=") ? "'" + name : name).toList());
        assertThat(java.nio.file.Files.readString(csv)).startsWith(
                "registration_id,device_id,device_name,user_id,user_email,user_name,last_seen_at,revoked_at,days_since_seen,reason,"
                        + "key_type,tunnel_type,client_version,note,change,finding_since,superseded_by,enrolled_by,stale_after,device_type,"
                        + "os_version,manufacturer,model,serial_number,device_last_seen_at,device_active_registrations\n")
                .contains(",\"Kiosk, Lobby \"\"2\"\"\",");
        assertThat(readJson(onlyReport("acc-1", ".json")).get("findings"))
                .extracting(f -> f.get("device_name").asText()).containsExactlyElementsOf(names);
    }

    @Test
    void aRegistrationTheApiListsTwiceIsCountedAndReportedOnce() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", List.of(registration("a", LONG_AGO, null), registration("b", LONG_AGO, null))));
        cloudflare.page("acc-1", "p2", lastPage(List.of(registration("b", LONG_AGO, null), registration("c", RECENT, null))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(readCsv(onlyReport("acc-1", ".csv"))).extracting(r -> r.get("registration_id")).containsExactly("a", "b");
        JsonNode summary = readJson(onlyReport("acc-1", ".json")).get("summary");
        assertThat(summary.get("scanned").asInt()).isEqualTo(3);
        assertThat(summary.get("stale").asInt()).isEqualTo(2);
        assertThat(summary.get("duplicates").asInt()).isEqualTo(1);
    }

    @Test
    void aFleetWithNothingToReportStillGetsAnExplicitAllClear() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", RECENT, null), registration("b", RECENT, null))));

        scan();

        assertThat(readCsv(onlyReport("acc-1", ".csv"))).isEmpty();
        JsonNode json = readJson(onlyReport("acc-1", ".json"));
        assertThat(json.get("all_clear").asBoolean()).isTrue();
        assertThat(json.at("/summary/scanned").asLong()).isEqualTo(2);
        assertThat(json.at("/summary/findings").asLong()).isZero();
        assertThat(json.get("findings")).isEmpty();
    }

    @Test
    void reportFilesCarryTheAccountAndTheRunsUtcTimeAndNoTemporaryFileRemains() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", LONG_AGO, null))));
        // what a run killed mid-scan leaves behind; another account's files are not this scan's business
        java.nio.file.Files.writeString(reportDir.resolve(".warp-sentinel-acc-1-20200101T000000Z.csv.tmp"), "half");
        java.nio.file.Files.writeString(reportDir.resolve(".warp-sentinel-acc-2-20200101T000000Z.csv.tmp"), "half");

        ScanRun run = scan();

        String stamp = ReportFiles.stamp(run.getStartedAt());
        assertThat(stamp).matches("\\d{8}T\\d{6}Z");
        assertThat(allFiles()).extracting(f -> f.getFileName().toString()).containsExactly(
                ".warp-sentinel-acc-2-20200101T000000Z.csv.tmp",
                "warp-sentinel-acc-1-" + stamp + ".csv", "warp-sentinel-acc-1-" + stamp + ".html",
                "warp-sentinel-acc-1-" + stamp + ".json");
        assertThat(readJson(onlyReport("acc-1", ".json")).get("scan_started_at").asText())
                .isEqualTo(run.getStartedAt().toString());
    }
}
