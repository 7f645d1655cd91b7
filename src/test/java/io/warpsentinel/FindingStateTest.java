package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.warpsentinel.CloudflareStub.error;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.warpsentinel.finding.ScanRun;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Successive scans of a changing fleet against one finding state: the reports' new, still,
 * recovered and gone sections, alerts only on what is new (and on reminders when due), owner
 * notices, and a failed scan that changes nothing. Each store (embedded, PostgreSQL) runs the
 * same tests through a subclass that says where the state lives.
 */
abstract class FindingStateTest extends ScanRouteTestSupport {

    static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private int scans;

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.webhooks", "ops");
        settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        settings.put("sentinel.alert.only-new", "true");
        settings.put("sentinel.owner-notice.enabled", "true");
        settings.put("sentinel.owner-notice.skip-users", "skip*@example.com");
        settings.put("sentinel.owner-notice.subject", "{count} of your devices look abandoned");
        settings.put("sentinel.owner-notice.max-per-run", "1");
        settings.put("sentinel.exclude.device-names", "KIOSK.*");
        settings.put("sentinel.email.host", "127.0.0.1");
        settings.put("sentinel.email.port", String.valueOf(MAIL.getSmtp().getPort()));
        settings.put("sentinel.email.security", "none");
        settings.put("sentinel.delivery.max-retries", "0");
        if (String.valueOf(getCurrentTestName()).contains("Reminder")) {
            settings.put("sentinel.alert.remind-after", "PT3S");
        }
        if (String.valueOf(getCurrentTestName()).contains("Revoked")) {
            settings.put("sentinel.remediate.action", "revoke");
            settings.put("sentinel.remediate.dry-run", "false");
            settings.put("sentinel.remediate.min-open", "PT0S");
            settings.put("sentinel.remediate.halt-above", "1");
            settings.put("cloudflare.api-write-token", "write-token-for-tests");
            settings.put("sentinel.remediate.audit-file", stateDir.resolve("actions.jsonl").toString());
            settings.put("sentinel.remediate.owner-notice", "warp-sentinel {action} these registrations:\n{devices}");
        }
        if (String.valueOf(getCurrentTestName()).contains("OneAddress") || String.valueOf(getCurrentTestName()).contains("Reason")) {
            settings.put("sentinel.owner-notice.max-per-run", "10");
        }
        return settings;
    }

    @BeforeEach
    void webhookAnswers() {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void threeScansOfAChangingFleetReportWhatChangedAndAlertOnlyOnWhatIsNew() throws Exception {
        String now = Instant.now().toString();
        serve(registration("a", LONG_AGO, null), registration("b", LONG_AGO, null), registration("c", now, null),
                registration("d", now, "2026-01-01T00:00:00Z"), registration("e", now, null));
        ScanRun first = scan();
        assertThat(first.isSuccessful()).isTrue();
        JsonNode report = latestJsonReport();
        assertThat(changes(report.get("findings"))).containsOnly(entry("a", "new"), entry("b", "new"), entry("d", "new"));
        assertThat(ids(report.get("recovered"))).isEmpty();
        assertThat(ids(report.get("gone"))).isEmpty();
        assertThat(ids(lastAlert().get("findings"))).containsExactlyInAnyOrder("a", "b", "d");
        assertThat(alerts()).isEqualTo(1);
        String aSince = report.at("/findings/0/finding_since").asText();
        assertThat(aSince).isEqualTo(first.getStartedAt().toString());

        // b seen again, d deleted, e now long unseen, f enrolled long ago and never seen since
        serve(registration("a", LONG_AGO, null), registration("b", now, null), registration("c", now, null),
                registration("e", LONG_AGO, null), registration("f", LONG_AGO, null));
        assertThat(scan().isSuccessful()).isTrue();
        report = latestJsonReport();
        assertThat(changes(report.get("findings"))).containsOnly(entry("a", "still"), entry("e", "new"), entry("f", "new"));
        assertThat(report.at("/findings/0/finding_since").asText()).isEqualTo(aSince);
        assertThat(ids(report.get("recovered"))).containsExactly("b");
        assertThat(ids(report.get("gone"))).containsExactly("d");
        assertThat(report.at("/gone/0/was").asText()).isEqualTo("revoked");
        assertThat(report.at("/gone/0/device_name").asText()).as("kept by the store").isEqualTo("Device d");
        assertThat(report.at("/recovered/0/last_seen_at").asText()).isEqualTo(now);
        assertThat(report.at("/summary/new").asLong()).isEqualTo(2);
        assertThat(report.at("/summary/still").asLong()).isEqualTo(1);
        assertThat(alerts()).isEqualTo(2);
        assertThat(ids(lastAlert().get("findings"))).containsExactlyInAnyOrder("e", "f");
        assertThat(readCsv(latestReport(".csv"))).extracting(row -> row.get("registration_id") + "=" + row.get("change"))
                .containsExactly("a=still", "e=new", "f=new");
        assertThat(Files.readString(latestReport(".html"))).contains("Recovered: findings of the last scan seen again")
                .contains("Gone: findings of the last scan no longer listed by Cloudflare");

        // A scan that fails on its second page: no report, and the state is exactly as it was.
        Object before = storedState();
        serve(registration("a", LONG_AGO, null), registration("c", now, null), registration("g", LONG_AGO, null));
        cloudflare.answer("acc-1", cursor(2), 403, error(10000, "Authentication error"));
        assertThat(scan().isSuccessful()).isFalse();
        assertThat(storedState()).isEqualTo(before);
        assertThat(alerts()).isEqualTo(2);

        // Nothing new since the last complete scan: the report is written, nobody is alerted.
        serve(registration("a", LONG_AGO, null), registration("b", now, null), registration("c", now, null),
                registration("e", LONG_AGO, null), registration("f", LONG_AGO, null));
        assertThat(scan().isSuccessful()).isTrue();
        report = latestJsonReport();
        assertThat(changes(report.get("findings"))).containsOnly(entry("a", "still"), entry("e", "still"), entry("f", "still"));
        assertThat(ids(report.get("recovered"))).isEmpty();
        assertThat(ids(report.get("gone"))).isEmpty();
        assertThat(alerts()).isEqualTo(2);
    }

    @Test
    void ownersOfStaleRegistrationsAreNoticedOnceWithinTheCapAndTheSkipListIsHonoured() throws Exception {
        // skipme comes first and is skipped before the cap of one device per scan is counted
        serve(registration("skipme", LONG_AGO, null), registration("a", LONG_AGO, null), registration("b", LONG_AGO, null),
                registration("r", LONG_AGO, "2026-01-01T00:00:00Z"), registration("c", Instant.now().toString(), null));
        assertThat(scan().isSuccessful()).isTrue();
        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly("a@example.com");
        assertThat(received[0].getSubject()).isEqualTo("1 of your devices look abandoned");
        String text = ((String) received[0].getContent()).replace("\r\n", "\n");
        assertThat(text).startsWith("Hello User a,\n").contains("- Device a, last seen " + LONG_AGO)
                .contains(", registration a: not seen for longer than the stale-after window (P30D)").doesNotContain("{");

        assertThat(scan().isSuccessful()).isTrue();
        assertThat(MAIL.getReceivedMessages()).as("b's turn came; a waits for the reminder interval").hasSize(2);
        assertThat(MAIL.getReceivedMessages()[1].getAllRecipients()).extracting(Object::toString).containsExactly("b@example.com");

        assertThat(scan().isSuccessful()).isTrue();
        assertThat(MAIL.getReceivedMessages()).as("everyone noticed, nobody due").hasSize(2);
    }

    @Test
    void aFindingRevokedSinceStaysOpenAndOneExcludedSinceLeavesWithoutRecovering() throws Exception {
        serve(registration("x", LONG_AGO, null), registration("z", "Device z", LONG_AGO, null));
        assertThat(scan().isSuccessful()).isTrue();
        String since = latestJsonReport().at("/findings/0/finding_since").asText();

        // x is revoked now; z was renamed into the kiosk exclusion
        serve(registration("x", LONG_AGO, "2026-11-01T00:00:00Z"), registration("z", "KIOSK z", LONG_AGO, null));
        assertThat(scan().isSuccessful()).isTrue();
        JsonNode report = latestJsonReport();
        assertThat(changes(report.get("findings"))).containsExactly(entry("x", "still"));
        assertThat(report.at("/findings/0/reason").asText()).isEqualTo("revoked");
        assertThat(report.at("/findings/0/finding_since").asText()).isEqualTo(since);
        assertThat(ids(report.get("excluded"))).containsExactly("z");
        assertThat(ids(report.get("recovered"))).isEmpty();
        assertThat(ids(report.get("gone"))).isEmpty();

        // z out of the exclusion again: a new finding, since it left the state; x deleted
        serve(registration("z", "Device z", LONG_AGO, null));
        assertThat(scan().isSuccessful()).isTrue();
        report = latestJsonReport();
        assertThat(changes(report.get("findings"))).containsExactly(entry("z", "new"));
        assertThat(ids(report.get("gone"))).containsExactly("x");
        assertThat(report.at("/gone/0/was").asText()).as("the stored reason was updated").isEqualTo("revoked");
        assertThat(report.at("/gone/0/finding_since").asText()).isEqualTo(since);
    }

    @Test
    void aReminderComesOnlyOnceTheIntervalHasPassed() throws Exception {
        serve(registration("a", LONG_AGO, null), registration("c", Instant.now().toString(), null));
        ScanRun first = scan();
        assertThat(alerts()).isEqualTo(1);
        assertThat(MAIL.getReceivedMessages()).hasSize(1);

        scan();
        assertThat(alerts()).as("no reminder before the interval").isEqualTo(1);
        assertThat(MAIL.getReceivedMessages()).hasSize(1);

        Thread.sleep(Math.max(0, first.getStartedAt().plusSeconds(4).toEpochMilli() - System.currentTimeMillis()));
        scan();
        assertThat(alerts()).isEqualTo(2);
        JsonNode reminder = lastAlert();
        assertThat(changes(reminder.get("findings"))).containsExactly(entry("a", "still"));
        assertThat(reminder.get("headline").asText()).startsWith("0 new findings, 1 due a reminder;");
        assertThat(MAIL.getReceivedMessages()).as("the owner is reminded too").hasSize(2);
    }

    @Test
    void anAlertThatWasNotDeliveredIsSentAgainNextScan() throws Exception {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(503)));
        serve(registration("a", LONG_AGO, null));
        assertThat(scan().getDeliveryFailures()).containsOnlyKeys("acc-1 -> webhook ops");
        assertThat(history().get(0).path("attention").asText()).as("the run history says what is left to do")
                .startsWith("not delivered to webhook ops: ");

        WIREMOCK.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200)));
        assertThat(scan().isSuccessful()).isTrue();
        assertThat(history().get(1).has("attention")).as("nothing left to do").isFalse();
        JsonNode alert = lastAlert();
        assertThat(changes(alert.get("findings"))).containsExactly(entry("a", "still"));
    }

    /** Names anyone can give their laptop: through the CSV, JSON, HTML and the state store and back, unchanged or visibly repaired. */
    @Test
    void hostileDeviceNamesSurviveEveryWriterAndReaderOfTheProject() throws Exception {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("cr", "bare\rreturn");
        sent.put("lf", "line\nfeed");
        sent.put("crlf", "both\r\nends");
        sent.put("sep", "Lobby, \"quoted\" name;x");
        sent.put("formula", "=HYPERLINK(\"http://evil.example\",\"open\")");
        sent.put("plus", "+1 555 0100");
        sent.put("minus", "-2+3");
        sent.put("at", "@SUM(A1)");
        sent.put("tab", "\tTab first");
        sent.put("crfirst", "\rCR first");
        sent.put("html", "<script>alert(1)</script>");
        sent.put("space", "  padded  ");
        sent.put("bidi", "\u202Egpj.exe");
        sent.put("emoji", "\uD83D\uDCBB laptop");
        sent.put("nul", "nul\u0000byte");
        sent.put("lone", "lone LONE_SURROGATE here");
        sent.put("long", "x".repeat(5000));
        Map<String, String> expected = new LinkedHashMap<>(sent);
        expected.put("nul", "nul\uFFFDbyte");
        expected.put("lone", "lone \uFFFD here");
        expected.put("long", "x".repeat(1000));
        List<String> fleet = new ArrayList<>();
        // a lone surrogate only travels as a JSON escape; Jackson turns it into a lone char in Java
        sent.forEach((id, name) -> fleet.add(registration(id, name, LONG_AGO, null).replace("LONE_SURROGATE", "\\ud800")));
        serve(fleet.toArray(String[]::new));

        ScanRun first = scan();

        assertThat(first.isSuccessful()).as("%s %s", first.getFailures(), first.getDeliveryFailures()).isTrue();
        Map<String, String> csv = new LinkedHashMap<>();
        readCsv(latestReport(".csv")).forEach(row -> csv.put(row.get("registration_id"), row.get("device_name")));
        expected.forEach((id, name) -> assertThat(csv.get(id)).as("CSV %s", id)
                .isEqualTo(name.matches("(?s)^[=+\\-@\t\r].*") ? "'" + name : name));
        JsonNode report = latestJsonReport();
        Map<String, String> json = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        report.get("findings").forEach(f -> {
            json.put(f.get("registration_id").asText(), f.get("device_name").asText());
            notes.put(f.get("registration_id").asText(), f.get("note").asText(""));
        });
        assertThat(json).as("the JSON keeps every name as received").isEqualTo(expected);
        assertThat(notes.get("lone")).contains("device.name held characters that are not valid text", "U+FFFD");
        assertThat(notes.get("nul")).contains("U+FFFD");
        assertThat(notes.get("long")).contains("device.name was 5,000 characters long; cut to 1000");
        assertThat(notes.get("cr")).isEmpty();
        assertThat(Files.readString(latestReport(".html"))).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)");

        // every one of them gone, the fleet grown: the gone section lists them as the store kept them
        List<String> grown = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            grown.add(registration("now" + i, Instant.now().toString(), null));
        }
        serve(grown.toArray(String[]::new));
        ScanRun second = scan();
        assertThat(second.isSuccessful()).as("%s %s", second.getFailures(), second.getDeliveryFailures()).isTrue();
        Map<String, String> gone = new LinkedHashMap<>();
        latestJsonReport().get("gone").forEach(f -> gone.put(f.get("registration_id").asText(), f.get("device_name").asText()));
        assertThat(gone).isEqualTo(expected);
    }

    @Test
    void anOwnerNoticeGoesToExactlyOneAddressOrNowhere() throws Exception {
        // each is skipped: a list, a name, a route address, quotes camel-mail would split on, no domain
        serve(registration("list", "Device list", "victim@example.org, evil@evil.example", LONG_AGO, null),
                registration("angle", "Device angle", "x<script>@example.org", LONG_AGO, null),
                registration("named", "Device named", "Boss <boss@example.org>", LONG_AGO, null),
                registration("quoted", "Device quoted", "\"x\\\",\\\"\"@victim.example", LONG_AGO, null),
                registration("short", "Device short", "a@b", LONG_AGO, null),
                registration("a", LONG_AGO, null));

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(run.isSuccessful()).as("%s %s", run.getFailures(), run.getDeliveryFailures()).isTrue();
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            for (var address : message.getAllRecipients()) {
                recipients.add(address.toString());
            }
        }
        assertThat(recipients).containsExactly("a@example.com");
        assertThat(logs).contains("no owner notice for 5 user e-mail(s) that are not one plain address")
                .contains("victim@example.org, evil@evil.example").contains("x<script>@example.org");
    }

    @Test
    void anOwnerNoticeSaysForEachDeviceItsReasonAndNeverGoesToAServiceToken() throws Exception {
        String now = Instant.now().toString();
        // Ann's: a stale laptop, a phone enrolled again (superseded), a tablet never used after its enrolment (2025-01-01T00:00:00Z)
        serve(registration("laptop", "Ann's laptop", "ann@example.com", LONG_AGO, null).replace("usr-laptop", "usr-ann"),
                registration("phone-old", "Ann's phone", "ann@example.com", "2025-06-01T00:00:00Z", null)
                        .replace("dev-phone-old", "dev-phone").replace("usr-phone-old", "usr-ann"),
                registration("phone-new", "Ann's phone", "ann@example.com", now, null)
                        .replace("dev-phone-new", "dev-phone").replace("usr-phone-new", "usr-ann"),
                registration("tablet", "Ann's tablet", "ann@example.com", "2025-01-01T00:10:00Z", null).replace("usr-tablet", "usr-ann"),
                // enrolled with a service token: an address, but no person behind it
                registration("kiosk", "Lobby kiosk", "non_identity@example.com", LONG_AGO, null));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(readCsv(latestReport(".csv"))).extracting(row -> row.get("registration_id") + "=" + row.get("reason"))
                .containsExactly("laptop=stale", "phone-old=superseded", "tablet=never-used", "kiosk=stale");
        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).as("one notice, to Ann; none to the service token").hasSize(1);
        assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly("ann@example.com");
        String text = ((String) received[0].getContent()).replace("\r\n", "\n");
        assertThat(text).contains("look unused, each for the reason given")
                .contains("- Ann's laptop, last seen " + LONG_AGO)
                .contains(", registration laptop: not seen for longer than the stale-after window (P30D)\n")
                .contains(", registration phone-old: replaced: the same device enrolled again for the same user\n")
                .contains(", registration tablet: never used: not seen again after it was enrolled")
                .doesNotContain("kiosk").doesNotContain("phone-new");
    }

    @Test
    void aRegistrationRevokedByUsIsRememberedAndItsOwnerTold() throws Exception {
        String laptop = registration("a", "Ann's laptop", "ann@example.com", LONG_AGO, null);
        // revoked too, but its user is never noticed (sentinel.owner-notice.skip-users): not about an action either
        String quiet = registration("q", "Quiet box", "skip1@example.com", LONG_AGO, null);
        serve(laptop, quiet);
        for (String id : List.of("a", "q")) {
            WIREMOCK.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock
                    .urlPathEqualTo(CloudflareStub.path("acc-1") + "/" + id))
                    .willReturn(CloudflareStub.ok("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + (id.equals("a") ? laptop : quiet) + "}")));
        }
        WIREMOCK.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(CloudflareStub.path("acc-1") + "/revoke"))
                .willReturn(CloudflareStub.ok("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}")));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(MAIL.getReceivedMessages()).hasSize(1);
        assertThat(MAIL.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        String notice = MAIL.getReceivedMessages()[0].getContent().toString().replace("\r\n", "\n");
        assertThat(notice).contains("warp-sentinel revoked these registrations:\n- Ann's laptop, last seen " + LONG_AGO + ", registration a");

        serve(registration("a", "Ann's laptop", "ann@example.com", LONG_AGO, Instant.now().toString()));
        assertThat(scan().isSuccessful()).isTrue();
        JsonNode finding = latestJsonReport().get("findings").get(0);
        assertThat(finding.get("reason").asText()).isEqualTo("revoked");
        assertThat(finding.get("change").asText()).isEqualTo("still");
        assertThat(finding.get("note").asText()).startsWith("revoked by warp-sentinel at ");
    }

    // --- helpers ---

    /** Serves the fleet two registrations per page, under cursors new to this scan. */
    void serve(String... registrations) {
        scans++;
        List<String> fleet = List.of(registrations);
        for (int page = 0; page * 2 < fleet.size(); page++) {
            List<String> items = fleet.subList(page * 2, Math.min(fleet.size(), page * 2 + 2));
            boolean last = page * 2 + 2 >= fleet.size();
            cloudflare.page("acc-1", page == 0 ? null : cursor(page + 1), withCursor(last ? "" : cursor(page + 2), items));
        }
    }

    private String cursor(int page) {
        return "scan" + scans + "-page" + page;
    }

    int alerts() {
        return WIREMOCK.findAll(postRequestedFor(urlEqualTo("/hooks/ops"))).size();
    }

    JsonNode lastAlert() throws IOException {
        var requests = WIREMOCK.findAll(postRequestedFor(urlEqualTo("/hooks/ops")));
        return JSON.readTree(requests.get(requests.size() - 1).getBodyAsString());
    }

    JsonNode latestJsonReport() throws IOException {
        return readJson(latestReport(".json"));
    }

    Path latestReport(String suffix) throws IOException {
        List<Path> reports = reportFiles(suffix);
        return reports.get(reports.size() - 1);
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get("registration_id").asText()));
        return ids;
    }

    static List<String> changes(JsonNode findings) {
        List<String> changes = new ArrayList<>();
        findings.forEach(item -> changes.add(entry(item.get("registration_id").asText(), item.get("change").asText())));
        return changes;
    }

    static String entry(String id, String change) {
        return id + "=" + change;
    }

    /** Everything the store holds, read straight from it (files or tables), to compare before and after. */
    abstract Object storedState() throws Exception;
}
