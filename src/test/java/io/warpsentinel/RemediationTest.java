package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.seenDaysAgo;
import static io.warpsentinel.CloudflareStub.single;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.warpsentinel.finding.ScanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * sentinel.remediate against WireMock standing in for Cloudflare's list, get, revoke and delete
 * calls, through the real routes: what is acted on, in what order and batches, with which token,
 * what is skipped and why, and what the audit file, the reports and the next scan say of it.
 */
class RemediationTest extends ScanRouteTestSupport {

    static final String WRITE_TOKEN = "write-token-not-a-secret-9876543210";
    private static final String REGISTRATIONS = CloudflareStub.path("acc-1");

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.remediate.action", "revoke");
        settings.put("sentinel.remediate.dry-run", "false");
        settings.put("cloudflare.api-write-token", WRITE_TOKEN);
        settings.put("sentinel.remediate.min-open", "PT0S");
        settings.put("sentinel.remediate.halt-above", "1");
        settings.put("sentinel.remediate.audit-file", stateDir.resolve("actions.jsonl").toString());
        settings.put("cloudflare.retry.initial-delay", "10");
        String test = String.valueOf(getCurrentTestName()).toLowerCase(java.util.Locale.ROOT);
        if (test.contains("dryrun")) {
            settings.put("sentinel.remediate.dry-run", "true");
            settings.remove("cloudflare.api-write-token");
        }
        if (test.contains("cap")) {
            settings.put("sentinel.remediate.max-per-run", "3");
        }
        if (test.contains("batches")) {
            settings.put("sentinel.remediate.max-per-run", "250");
        }
        if (test.contains("minopen")) {
            settings.put("sentinel.remediate.min-open", "P7D");
        }
        if (test.contains("halt")) {
            settings.put("sentinel.remediate.halt-above", "0.25");
        }
        if (test.contains("delete")) {
            settings.put("sentinel.remediate.action", "delete");
        }
        if (test.contains("profile")) {
            settings.put("sentinel.stale-after.policies", "Contractors=P7D");
            settings.put("sentinel.remediate.last-device-after", "PT0S");
        }
        if (test.contains("thendelete")) {
            settings.put("sentinel.remediate.action", "revoke-then-delete");
        }
        if (test.contains("andsent")) {
            settings.put("sentinel.webhooks", "ops");
            settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        }
        if (test.contains("excluded") || test.contains("exclusion")) {
            settings.put("sentinel.exclude.user-emails", "kiosk-*@example.com");
            settings.put("sentinel.exclude.device-names", "LAB-[0-9]+");
            settings.put("sentinel.exclude.registration-ids", "svc-token");
            settings.put("sentinel.exclude.policy-names", "Shared *");
        }
        return settings;
    }

    /** Stale registrations: s1 last seen longest ago, then s2, s3... */
    private static List<String> stale(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> registration("s" + i, seenDaysAgo(400 - i), null)).toList();
    }

    private void fleet(List<String> registrations) {
        cloudflare.page("acc-1", null, lastPage(registrations));
    }

    /** Lists the fleet, and accepts every call on it. */
    private void cloudflareServesAndAccepts(List<String> registrations) {
        fleet(registrations);
        cloudflareAccepts(registrations);
    }

    /** Every registration's re-check answers what the listing said; revoke and delete succeed. */
    private void cloudflareAccepts(List<String> registrations) {
        for (String registration : registrations) {
            String id = readTree(registration).get("id").asText();
            WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/" + id)).willReturn(ok(single(registration))));
        }
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(ok(nullResult())));
        WIREMOCK.stubFor(delete(urlPathEqualTo(REGISTRATIONS)).willReturn(ok(nullResult())));
    }

    private static String nullResult() {
        return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}";
    }

    /** The write calls to Cloudflare (not a webhook's POST). */
    private static List<LoggedRequest> writes() {
        List<LoggedRequest> writes = new ArrayList<>(WIREMOCK.findAll(postRequestedFor(urlPathMatching(REGISTRATIONS + ".*"))));
        writes.addAll(WIREMOCK.findAll(deleteRequestedFor(anyUrl())));
        writes.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return writes;
    }

    private List<String> idsWritten() {
        return writes().stream().flatMap(request -> request.queryParameter("id").values().stream()).toList();
    }

    private List<JsonNode> audit() throws Exception {
        Path file = stateDir.resolve("actions.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    /** The outcome lines, without the lines of write attempts (pending, error). */
    private static List<String> outcomes(List<JsonNode> lines) {
        return trail(lines).stream().filter(line -> !line.endsWith(" pending") && !line.contains(" error: ")).toList();
    }

    /** Every line of the audit file: "s1 pending", "s1 done"... */
    private static List<String> trail(List<JsonNode> lines) {
        return lines.stream().map(line -> line.get("registration_id").asText() + " " + line.get("outcome").asText()).toList();
    }

    @Test
    void revokesTheStaleRegistrationsWithTheWriteTokenAndSaysSoEverywhere() throws Exception {
        List<String> fleet = new ArrayList<>(stale(2));
        fleet.add(registration("current", seenDaysAgo(1), null));
        fleet.add(registration("was-revoked", seenDaysAgo(90), seenDaysAgo(80)));
        cloudflareServesAndAccepts(fleet);

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        List<LoggedRequest> writes = writes();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).getUrl()).isEqualTo(REGISTRATIONS + "/revoke?id=s1&id=s2");
        assertThat(writes.get(0).getHeader("Authorization")).isEqualTo("Bearer " + WRITE_TOKEN);
        WIREMOCK.verify(0, postRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + CloudflareStub.TOKEN)));
        WIREMOCK.verify(0, getRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + WRITE_TOKEN)));
        WIREMOCK.verify(getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s1")));

        List<JsonNode> audit = audit();
        assertThat(trail(audit)).as("write-ahead: the pending lines, then the call, then the outcomes")
                .containsExactly("s1 pending", "s2 pending", "s1 done", "s2 done");
        assertThat(audit.get(0).get("dry_run").asBoolean()).isFalse();
        assertThat(audit.get(0).get("action").asText()).isEqualTo("revoke");
        assertThat(audit.get(0).get("account_id").asText()).isEqualTo("acc-1");
        assertThat(audit.get(0).get("reason").asText()).isEqualTo("stale");
        assertThat(audit.get(0).get("user_email").asText()).isEqualTo("s1@example.com");
        assertThat(audit.get(0).has("time")).isTrue();
        assertThat(audit.get(0).has("run")).isTrue();

        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/action").asText()).isEqualTo("revoke");
        assertThat(report.at("/remediation/done").asInt()).isEqualTo(2);
        assertThat(report.at("/remediation/halted").isNull()).isTrue();
        assertThat(report.get("actions")).hasSize(2);
        assertThat(report.at("/actions/0/outcome").asText()).isEqualTo("done");
        assertThat(report.at("/summary/findings").asInt()).as("the report's findings are untouched").isEqualTo(3);
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("Actions: revoked by warp-sentinel", "unrevoke?id=s1&amp;id=s2");
        JsonNode history = JSON.readTree(Files.readAllLines(stateDir.resolve("history.jsonl")).get(0));
        assertThat(history.at("/remediation/done").asInt()).isEqualTo(2);

        // the next scan lists them as revoked: no surprise, the report says who did it
        List<String> after = new ArrayList<>();
        after.add(registration("s1", seenDaysAgo(399), Instant.now().toString()));
        after.add(registration("s2", seenDaysAgo(398), Instant.now().toString()));
        fleet(after);
        WIREMOCK.resetRequests();
        assertThat(scan().isSuccessful()).isTrue();
        List<String> notes = readCsv(latest(".csv")).stream().map(row -> row.get("change") + " " + row.get("note")).toList();
        assertThat(notes).allSatisfy(note -> assertThat(note).startsWith("still revoked by warp-sentinel at "));
        assertThat(writes()).as("a revoked registration is no revoke candidate").isEmpty();
    }

    @Test
    void aDryRunMakesNoWriteCallButPlansReChecksAndAuditsEverything() throws Exception {
        List<String> fleet = stale(3);
        cloudflareServesAndAccepts(fleet);

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(writes()).isEmpty();
        WIREMOCK.verify(3, getRequestedFor(urlPathMatching(REGISTRATIONS + "/s[0-9]")));
        List<JsonNode> audit = audit();
        assertThat(outcomes(audit)).containsExactly("s1 done", "s2 done", "s3 done");
        assertThat(audit).allSatisfy(line -> assertThat(line.get("dry_run").asBoolean()).isTrue());
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/dry_run").asBoolean()).isTrue();
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("dry run, nothing was changed", "would be revoked");
    }

    @Test
    void theCapActsOnTheLongestUnseenFirstAndTheRestWait() throws Exception {
        List<String> fleet = new ArrayList<>(stale(6));
        java.util.Collections.reverse(fleet); // listed newest first: the order comes from last_seen_at
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("s1", "s2", "s3");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/remediation/over_cap").asInt()).isEqualTo(3);
    }

    @Test
    void writesGoInBatchesOfAtMostAHundredIds() throws Exception {
        List<String> fleet = stale(230);
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).extracting(request -> request.queryParameter("id").values().size()).containsExactly(100, 100, 30);
        assertThat(idsWritten()).hasSize(230).doesNotHaveDuplicates();
        assertThat(outcomes(audit())).hasSize(230).allSatisfy(line -> assertThat(line).endsWith(" done"));
        assertThat(trail(audit())).hasSize(460);
    }

    @Test
    void aFindingSeenForTheFirstTimeWaitsForMinOpen() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        // s1 has been open since long ago in the state an earlier scan left
        earlierScanLeft("s1", "STALE", "");

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("s1");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/remediation/waiting_min_open").asInt()).isEqualTo(1);
    }

    @Test
    void tooLargeAShareOfTheFleetHaltsEverythingLoudly() throws Exception {
        List<String> fleet = new ArrayList<>(stale(3));
        IntStream.rangeClosed(1, 7).forEach(i -> fleet.add(registration("c" + i, seenDaysAgo(2), null)));
        cloudflareServesAndAccepts(fleet);

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(writes()).isEmpty();
        WIREMOCK.verify(0, getRequestedFor(urlPathMatching(REGISTRATIONS + "/.+")));
        assertThat(audit()).isEmpty();
        assertThat(run.isSuccessful()).as("run-once exits 1").isFalse();
        assertThat(run.getRemediationFailures().get("acc-1")).contains("halted", "30.0%", "sentinel.remediate.halt-above (0.25)");
        assertThat(logs).contains("ERROR remediate Account acc-1: remediation halted: 3 registrations to revoke are 30.0% of the 10 scanned");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/halted").asText()).contains("above sentinel.remediate.halt-above");
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("Remediation halted");
        JsonNode recorded = history().get(0);
        assertThat(recorded.path("outcome").asText()).as("the scan itself is complete").isEqualTo("complete");
        assertThat(recorded.path("attention").asText()).startsWith("remediation halted: 3 registrations to revoke are 30.0%");
        assertThat(Files.readString(reportDir.resolve("index.html"))).as("the index never shows it as plainly complete")
                .contains("<div class=\"why attention\">remediation halted: 3 registrations to revoke are 30.0%");
        assertThat(context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class)
                .find("warp.sentinel.remediation.halted").tag("account", "acc-1").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void excludedRegistrationsAreNeverActedOn() throws Exception {
        List<String> fleet = new ArrayList<>();
        fleet.add(registration("kiosk", "Kiosk", "kiosk-1@example.com", seenDaysAgo(300), null));
        fleet.add(registration("lab", "LAB-042", seenDaysAgo(300), null));
        fleet.add(registration("svc-token", seenDaysAgo(300), null));
        String shared = registration("shared", seenDaysAgo(300), null);
        fleet.add(CloudflareStub.withPolicy(shared, "Shared desks"));
        fleet.add(registration("plain", seenDaysAgo(300), null));
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("plain");
        assertThat(outcomes(audit())).containsExactly("plain done");
    }

    @Test
    void aRegistrationSeenAgainOrGoneSinceTheListingIsSkipped() throws Exception {
        List<String> fleet = stale(3);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).willReturn(ok(single(registration("s1", Instant.now().toString(), null)))));
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s2")).willReturn(aResponse().withStatus(404)
                .withBody(CloudflareStub.error(1004, "Registration not found"))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("s3");
        assertThat(outcomes(audit())).containsExactlyInAnyOrder("s1 skipped: seen again", "s2 skipped: gone", "s3 done");
    }

    @Test
    void manyGoneSinceTheListingInBatchesHoldNoConnectionOpen() throws Exception {
        // more than camel-http's 20 connections to one host: an answer left unread would keep its connection
        List<String> fleet = stale(60);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(get(urlPathMatching(REGISTRATIONS + "/s[0-9]+")).willReturn(aResponse().withStatus(404)
                .withBody(CloudflareStub.error(1004, "Registration not found"))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).isEmpty();
        assertThat(outcomes(audit())).hasSize(60).allMatch(line -> line.endsWith("skipped: gone"));
    }

    @Test
    void anIdWithCharactersThatMeanSomethingInAUrlHitsThatRegistrationOnly() throws Exception {
        String odd = "odd/../id?x=1&id=other#frag %é";
        String registration = registration("placeholder", seenDaysAgo(300), null).replace("\"id\":\"placeholder\"",
                "\"id\":" + CloudflareStub.jsonString(odd));
        fleet(List.of(registration));
        String encodedPath = REGISTRATIONS + "/" + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        WIREMOCK.stubFor(get(urlPathEqualTo(encodedPath)).willReturn(ok(single(registration))));
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(ok(nullResult())));

        assertThat(scan().isSuccessful()).isTrue();

        WIREMOCK.verify(getRequestedFor(urlPathEqualTo(encodedPath)));
        assertThat(idsWritten()).containsExactly(odd);
        assertThat(writes().get(0).getUrl()).as("a space as %20: a strict server reads '+' as a plus")
                .contains("%20").doesNotContain("+");
        assertThat(outcomes(audit())).containsExactly(odd + " done");
    }

    @Test
    void aRevokeUndoneByAPersonIsNeverDoneAgain() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        // s1 was revoked by an earlier run, and someone unrevoked it since: it is listed active and stale again
        earlierScanLeft("s1", "REVOKED", "revoke");

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("s2");
        assertThat(readCsv(onlyReport("acc-1", ".csv"))).filteredOn(row -> row.get("registration_id").equals("s1"))
                .singleElement().satisfies(row -> assertThat(row.get("note")).startsWith("revoked by warp-sentinel at ")
                        .contains("unrevoked since: never revoked again by warp-sentinel"));
    }

    @Test
    void aRegistrationRenamedIntoAnExclusionSinceTheListingIsLeftAlone() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).willReturn(ok(single(registration("s1", "LAB-7", seenDaysAgo(399), null)))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("s2");
        assertThat(outcomes(audit())).containsExactly("s1 skipped: excluded (device-name)", "s2 done");
    }

    @Test
    void revokedAndExcludedRegistrationsDoNotDiluteTheHalt() throws Exception {
        List<String> fleet = new ArrayList<>(stale(3));
        IntStream.rangeClosed(1, 9).forEach(i -> fleet.add(registration("r" + i, seenDaysAgo(200), seenDaysAgo(190))));
        IntStream.rangeClosed(1, 6).forEach(i -> fleet.add(registration("c" + i, seenDaysAgo(2), null)));
        cloudflareServesAndAccepts(fleet);

        ScanRun run = scan();

        assertThat(writes()).as("3 of 18 scanned, but 3 of the 9 a revoke could apply to").isEmpty();
        assertThat(run.getRemediationFailures().get("acc-1")).contains("33.3% of the 9 scanned that are not revoked or excluded");
    }

    @Test
    void anIncompleteScanActsOnNothing() throws Exception {
        List<String> fleet = stale(4);
        cloudflare.page("acc-1", null, withCursor("c2", fleet.subList(0, 2)));
        cloudflare.answer("acc-1", "c2", 403, CloudflareStub.error(10000, "Authentication error"));
        cloudflareAccepts(fleet);

        ScanRun run = scan();

        assertThat(run.getFailures()).containsKey("acc-1");
        assertThat(writes()).isEmpty();
        WIREMOCK.verify(0, getRequestedFor(urlPathMatching(REGISTRATIONS + "/.+")));
        assertThat(audit()).isEmpty();
    }

    @Test
    void aServerErrorOnAWriteIsRetriedFromTheSameBatch() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(CloudflareStub.error(10001, "Service unavailable")))
                .willSetStateTo("up"));
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(ok(nullResult())));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).extracting(LoggedRequest::getUrl).containsExactly(REGISTRATIONS + "/revoke?id=s1&id=s2",
                REGISTRATIONS + "/revoke?id=s1&id=s2");
        assertThat(trail(audit())).containsExactly("s1 pending", "s2 pending",
                "s1 error: Cloudflare answered HTTP 503 to the revoke of 2 registrations in account acc-1: Cloudflare error 10001 Service unavailable",
                "s2 error: Cloudflare answered HTTP 503 to the revoke of 2 registrations in account acc-1: Cloudflare error 10001 Service unavailable",
                "s1 pending", "s2 pending", "s1 done", "s2 done");
        WIREMOCK.verify(1, getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s1")).withHeader("Authorization", equalTo("Bearer " + CloudflareStub.TOKEN)));
    }

    @Test
    void aWriteRefusedForWantOfPermissionFailsOnceAndClearly() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(aResponse().withStatus(403)
                .withBody(CloudflareStub.error(10000, "Authentication error"))));

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(writes()).as("not retried").hasSize(1);
        assertThat(run.isSuccessful()).isFalse();
        assertThat(run.getRemediationFailures().get("acc-1")).isEqualTo("failed for 2 registration(s)");
        assertThat(outcomes(audit())).allSatisfy(outcome -> assertThat(outcome)
                .contains("failed: Cloudflare answered HTTP 403", "'Zero Trust Write' permission"));
        assertThat(logs).contains("was refused, and no more write calls are made this run");
        assertThat(logs).doesNotContain(WRITE_TOKEN).doesNotContain(CloudflareStub.TOKEN);
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/remediation/failed").asInt()).isEqualTo(2);
    }

    @Test
    void aFailedWriteIsCheckedAgainToRecordWhatWasDone() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(aResponse().withStatus(500)
                .withBody(CloudflareStub.error(10002, "Internal error"))));
        // Cloudflare revoked s1 before failing: its check after the failure shows it revoked
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).inScenario("s1").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok(single(fleet.get(0)))).willSetStateTo("revoked"));
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).inScenario("s1").whenScenarioStateIs("revoked")
                .willReturn(ok(single(registration("s1", seenDaysAgo(399), Instant.now().toString())))));

        ScanRun run = scan();

        assertThat(outcomes(audit())).containsExactlyInAnyOrder("s1 done",
                "s2 failed: Cloudflare answered HTTP 500 to the revoke of 2 registrations in account acc-1: Cloudflare error 10002 Internal error");
        assertThat(run.getRemediationFailures()).containsKey("acc-1");
    }

    @Test
    void aWriteAnsweredInWordsNobodyCanReadIsNotSentAgainButLookedAt() throws Exception {
        List<String> fleet = stale(1);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(aResponse().withStatus(200).withBody("<html>ok</html>")));

        scan();

        assertThat(writes()).as("it may have been applied: never sent twice").hasSize(1);
        assertThat(outcomes(audit())).singleElement().asString().startsWith("s1 failed: Cloudflare answered HTTP 200 to the revoke of 1 "
                + "registration in account acc-1, in malformed JSON");
    }

    @Test
    void aWriteAnsweredTwoHundredWithItsBodyCutOffIsNeverSentAgainButConfirmedByAGet() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).willReturn(aResponse().withStatus(200)
                .withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK)));
        // Cloudflare applied it: the check after it finds both revoked
        for (String id : List.of("s1", "s2")) {
            WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/" + id)).inScenario(id).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(ok(single(registration(id, seenDaysAgo(390), null)))).willSetStateTo("revoked"));
            WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/" + id)).inScenario(id).whenScenarioStateIs("revoked")
                    .willReturn(ok(single(registration(id, seenDaysAgo(390), Instant.now().toString())))));
        }

        ScanRun run = scan();

        assertThat(writes()).as("its 200 arrived: it may have been applied, and is never sent again").hasSize(1);
        assertThat(outcomes(audit())).containsExactly("s1 done", "s2 done");
        WIREMOCK.verify(2, getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s1")));
        assertThat(run.isSuccessful()).isTrue();
    }

    @Test
    void aWriteRateLimitedBrieflyIsSentAgainOnTheSameReCheck() throws Exception {
        List<String> fleet = stale(1);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("open"));
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(ok(nullResult())));

        long start = System.nanoTime();
        assertThat(scan().isSuccessful()).isTrue();
        long writesApart = writes().get(1).getLoggedDate().getTime() - writes().get(0).getLoggedDate().getTime();

        assertThat(writes()).hasSize(2);
        assertThat(writesApart).as("'Retry-After: 0' is waited a second at least, never taken literally").isGreaterThanOrEqualTo(950);
        assertThat(trail(audit())).containsExactly("s1 pending", "s1 error: Cloudflare answered 429 (rate limited) for account acc-1 to "
                + "the revoke of 1 registration with Retry-After: 0", "s1 pending", "s1 done");
        WIREMOCK.verify(1, getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s1")));
        assertThat(System.nanoTime() - start).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aWriteRateLimitedForLongIsReCheckedBeforeItIsSentAgain() throws Exception {
        List<String> fleet = stale(2);
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "6")).willSetStateTo("open"));
        WIREMOCK.stubFor(post(urlPathEqualTo(REGISTRATIONS + "/revoke")).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(ok(nullResult())));
        // s1 connects during the wait: the re-check after it finds it seen again
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).inScenario("s1").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok(single(fleet.get(0)))).willSetStateTo("seen"));
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/s1")).inScenario("s1").whenScenarioStateIs("seen")
                .willReturn(ok(single(registration("s1", Instant.now().toString(), null)))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).extracting(LoggedRequest::getUrl).containsExactly(REGISTRATIONS + "/revoke?id=s1&id=s2",
                REGISTRATIONS + "/revoke?id=s2");
        WIREMOCK.verify(2, getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s1")));
        WIREMOCK.verify(2, getRequestedFor(urlPathEqualTo(REGISTRATIONS + "/s2")));
        assertThat(outcomes(audit())).containsExactly("s1 skipped: seen again", "s2 done");
    }

    @Test
    void anAuditFileThatStopsBeingWritableLetsNoBatchesGoOutAfterTheOneInFlight() throws Exception {
        List<String> fleet = stale(150);
        cloudflareServesAndAccepts(fleet);
        Path file = stateDir.resolve("actions.jsonl");
        List<String> onDiskWhenTheWriteArrived = new ArrayList<>();
        HOOK.once(request -> request.getMethod().getName().equals("POST"), request -> {
            try {
                onDiskWhenTheWriteArrived.addAll(trail(audit()));
                // a full disk or a permission change does the same
                Files.delete(file);
                Files.createDirectory(file);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(onDiskWhenTheWriteArrived).as("the pending lines were on disk before the write went out").hasSize(100)
                .allSatisfy(line -> assertThat(line).endsWith(" pending"));
        assertThat(writes()).as("the write in flight is finished, none goes out after it, none is sent again").hasSize(1);
        assertThat(run.isSuccessful()).as("run-once exits 1").isFalse();
        assertThat(run.getRemediationFailures().get("acc-1")).contains("the audit file " + file.toAbsolutePath());
        assertThat(logs).contains("ERROR remediate Account acc-1: not in the audit file " + file.toAbsolutePath() + ": s1 revoke done; ")
                .contains("ERROR remediate Account acc-1: remediation (revoke) stopped at the audit file " + file.toAbsolutePath());
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/done").asInt()).isEqualTo(100);
        assertThat(report.at("/remediation/failed").asInt()).isEqualTo(50);
        assertThat(report.at("/actions/100/outcome").asText()).startsWith("failed: not sent: the audit file " + file.toAbsolutePath()
                + " cannot be written");
        // what was done is remembered all the same: never done twice, and the report says who did it
        Files.delete(file);
        fleet(stale(150).stream().map(registration -> registration.replace("\"revoked_at\":null",
                "\"revoked_at\":\"" + Instant.now() + "\"")).toList());
        WIREMOCK.resetRequests();
        scan();
        assertThat(readCsv(latest(".csv"))).filteredOn(row -> row.get("registration_id").equals("s1")).singleElement()
                .satisfies(row -> assertThat(row.get("note")).contains("revoked by warp-sentinel at "));
    }

    @Test
    void deleteTakesTheStaleAndTheRevokedRegistrationsNotSeenSinceTheCutoff() throws Exception {
        List<String> fleet = new ArrayList<>(stale(1));
        // unseen for longer than sentinel.remediate.last-device-after (P90D): its user's last device, and yet acted on
        fleet.add(registration("was-revoked", seenDaysAgo(120), seenDaysAgo(119)));
        fleet.add(registration("revoked-yesterday", seenDaysAgo(2), seenDaysAgo(1)));
        fleet.add(registration("current", seenDaysAgo(1), null));
        IntStream.rangeClosed(1, 5).forEach(i -> fleet.add(registration("c" + i, seenDaysAgo(1), null)));
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        List<LoggedRequest> writes = writes();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).getMethod().getName()).isEqualTo("DELETE");
        assertThat(writes.get(0).getUrl()).as("a revoked one seen since the cutoff waits until it is stale too")
                .isEqualTo(REGISTRATIONS + "?id=s1&id=was-revoked");
        assertThat(outcomes(audit())).containsExactly("s1 done", "was-revoked done");

        // the next scan: they are gone, deleted by warp-sentinel
        List<String> left = new ArrayList<>(fleet.subList(2, fleet.size()));
        fleet(left);
        assertThat(scan().isSuccessful()).isTrue();
        JsonNode second = readJson(latest(".json"));
        assertThat(second.get("gone")).allSatisfy(gone -> assertThat(gone.get("acted").asText()).startsWith("deleted by warp-sentinel at "));
    }

    @Test
    void deleteWaitsForARevokedRegistrationToBeStaleByItsProfilesWindow() throws Exception {
        List<String> fleet = new ArrayList<>();
        // seen 10 days ago: stale by its profile's P7D, not by the default P30D
        fleet.add(CloudflareStub.withPolicy(registration("contractor-revoked", seenDaysAgo(10), seenDaysAgo(9)), "Contractors"));
        fleet.add(registration("staff-revoked", seenDaysAgo(10), seenDaysAgo(9)));
        IntStream.rangeClosed(1, 5).forEach(i -> fleet.add(registration("c" + i, seenDaysAgo(1), null)));
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).hasSize(1);
        assertThat(writes().get(0).getUrl()).as("each revoked registration waits for its own window, not the default one")
                .isEqualTo(REGISTRATIONS + "?id=contractor-revoked");
        assertThat(outcomes(audit())).containsExactly("contractor-revoked done");
    }

    @Test
    void theAuditFileIsAppendedAcrossRunsNeverTruncated() throws Exception {
        List<String> fleet = stale(3);
        fleet(fleet.subList(0, 2));
        cloudflareAccepts(fleet);
        Path file = stateDir.resolve("actions.jsonl");
        Files.writeString(file, "{\"an\":\"earlier line\"}\n");

        assertThat(scan().isSuccessful()).isTrue();
        // s1 and s2 are listed as before (Cloudflare did nothing): never revoked twice; s3 is new
        fleet(fleet);
        assertThat(scan().isSuccessful()).isTrue();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo("{\"an\":\"earlier line\"}");
        assertThat(trail(audit().subList(1, 7))).containsExactly("s1 pending", "s2 pending", "s1 done", "s2 done", "s3 pending", "s3 done");
        assertThat(idsWritten()).containsExactly("s1", "s2", "s3");
    }

    @Test
    void aUsersMostRecentlySeenRegistrationIsKeptUntilUnseenForLongerThanLastDeviceAfterServiceTokensAreNot() throws Exception {
        List<String> first = List.of(
                CloudflareStub.ofUser(registration("person-old", seenDaysAgo(200), null), "person"),
                // the only registration of its user, unseen for longer than last-device-after (P90D)
                registration("solo", seenDaysAgo(120), null),
                // the only registration of its user, unseen for less
                registration("alone", seenDaysAgo(50), null),
                // no device id (nothing can supersede it), yet its user's newest is known only pages later
                CloudflareStub.ofUser(registration("person-no-device", seenDaysAgo(60), null), "person")
                        .replace("\"device\":{\"id\":\"dev-person-no-device\",", "\"device\":{"));
        List<String> second = List.of(
                // the newest of person's registrations, listed after the older one, and stale too
                CloudflareStub.ofUser(registration("person-new", seenDaysAgo(40), null), "person"),
                // service tokens: no user at all, or Cloudflare's non_identity@ user
                CloudflareStub.withoutUser(registration("token", seenDaysAgo(40), null)),
                registration("token-user", "Service", "non_identity@example.com", seenDaysAgo(45), null));
        cloudflare.page("acc-1", null, withCursor("p2", first));
        cloudflare.page("acc-1", "p2", lastPage(second));
        List<String> fleet = new ArrayList<>(first);
        fleet.addAll(second);
        cloudflareAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("person-old", "solo", "person-no-device", "token-user", "token");
        assertThat(outcomes(audit())).as("nothing is done to a kept one: no audit line")
                .containsExactly("person-old done", "solo done", "person-no-device done", "token-user done", "token done");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/candidates").asInt()).isEqualTo(7);
        assertThat(report.at("/remediation/kept_last_device").asInt()).isEqualTo(2);
        assertThat(report.at("/remediation/over_cap").asInt()).isZero();
        assertThat(report.get("kept_last_device")).extracting(kept -> kept.get("registration_id").asText() + " "
                + kept.get("outcome").asText()).containsExactly("alone kept: the user's last device", "person-new kept: the user's last device");
        assertThat(Instant.parse(report.at("/kept_last_device/1/kept_until").asText()))
                .isEqualTo(Instant.parse(report.at("/kept_last_device/1/last_seen_at").asText()).plus(90, ChronoUnit.DAYS));
        assertThat(Files.readString(onlyReport("acc-1", ".html")))
                .contains("2 kept: the user&#39;s last device (sentinel.remediate.last-device-after)",
                        "<td>kept: the user&#39;s last device</td><td>Device person-new</td>");
        JsonNode history = JSON.readTree(Files.readAllLines(stateDir.resolve("history.jsonl")).get(0));
        assertThat(history.at("/remediation/kept_last_device").asInt()).isEqualTo(2);
    }

    @Test
    void aServiceTokenWithoutADeviceIdJudgedWhileThePagesComeIsActedOnAndNotKept() throws Exception {
        // nothing to look up and nothing that can supersede it: judged and offered on its page, before
        // the listing (and every user's newest registration) is complete
        List<String> fleet = new ArrayList<>();
        fleet.add(CloudflareStub.withoutUser(registration("token-no-device", seenDaysAgo(45), null))
                .replace("\"device\":{\"id\":\"dev-token-no-device\",", "\"device\":{"));
        IntStream.rangeClosed(1, 5).forEach(i -> fleet.add(registration("c" + i, seenDaysAgo(1), null)));
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).containsExactly("token-no-device");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/remediation/kept_last_device").asInt()).isZero();
    }

    @Test
    void keptLastDevicesLeaveTheCapToTheRegistrationsActedOn() throws Exception {
        List<String> fleet = new ArrayList<>();
        // the longest unseen candidates, each its user's last device
        IntStream.rangeClosed(1, 4).forEach(i -> fleet.add(registration("k" + i, seenDaysAgo(85 - i), null)));
        // a team account's older devices: acted on, though seen more recently than the kept ones
        IntStream.rangeClosed(1, 3).forEach(i -> fleet.add(CloudflareStub.ofUser(registration("t" + i, seenDaysAgo(75 - i), null), "team")));
        fleet.add(CloudflareStub.ofUser(registration("t-current", seenDaysAgo(1), null), "team"));
        cloudflareServesAndAccepts(fleet);

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(idsWritten()).as("sentinel.remediate.max-per-run=3").containsExactly("t1", "t2", "t3");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/kept_last_device").asInt()).isEqualTo(4);
        assertThat(report.at("/remediation/over_cap").asInt()).isZero();
        assertThat(report.get("kept_last_device")).as("the longest unseen of them, as many as the cap")
                .extracting(kept -> kept.get("registration_id").asText()).containsExactly("k1", "k2", "k3");
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("the 3 longest unseen of them below");
    }

    @Test
    void aDeviceEnrolledAgainAfterItsRevokeIsReportedCountedAndSentWithTheAdvice() throws Exception {
        List<String> fleet = new ArrayList<>(stale(1));
        fleet.add(registration("c1", seenDaysAgo(1), null));
        cloudflareServesAndAccepts(fleet);
        WIREMOCK.stubFor(post(urlPathEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200)));
        ScanRun first = scan();
        assertThat(idsWritten()).containsExactly("s1");
        assertThat(readJson(latest(".json")).get("re_enrolled")).isEmpty();

        // s1's device and user enrol again (as Cloudflare does when the user connects); the same device's other user
        // and a registration of the same device and user created before the revoke did not come back after it
        // a second after the revoking scan started (the test's scans may start within one second)
        String created = first.getStartedAt().plusSeconds(1).toString();
        fleet(List.of(registration("s1", seenDaysAgo(399), first.getStartedAt().plusSeconds(1).toString()),
                onDevice("again", "s1", "usr-s1", created), onDevice("other-user", "s1", "usr-other", created),
                onDevice("before", "s1", "usr-s1", "2025-01-01T00:00:00Z"), registration("c1", seenDaysAgo(1), null)));
        assertThat(scan().isSuccessful()).isTrue();

        JsonNode report = readJson(latest(".json"));
        assertThat(report.get("re_enrolled")).singleElement().satisfies(again -> {
            assertThat(again.get("registration_id").asText()).isEqualTo("again");
            assertThat(again.get("device_id").asText()).isEqualTo("dev-s1");
            assertThat(again.get("user_email").asText()).isEqualTo("again@example.com");
            assertThat(again.get("created_at").asText()).isEqualTo(created);
            assertThat(again.get("removed_registration_id").asText()).isEqualTo("s1");
            assertThat(again.get("removed_at").asText()).isEqualTo(first.getStartedAt().toString());
            assertThat(again.get("action").asText()).isEqualTo("revoke");
        });
        assertThat(report.at("/summary/re_enrolled").asInt()).isEqualTo(1);
        assertThat(Files.readString(latest(".html"))).contains("<h2>Enrolled again after removal</h2>")
                .contains("1 registration enrolled again after warp-sentinel revoked or deleted one of the same device and user: remove "
                        + "the user from the device enrolment rules or the device profile, or the device will keep coming back");
        var alerts = WIREMOCK.findAll(postRequestedFor(urlPathEqualTo("/hooks/ops")));
        JsonNode alert = JSON.readTree(alerts.get(alerts.size() - 1).getBodyAsString());
        assertThat(alert.at("/summary/re_enrolled").asInt()).isEqualTo(1);
        assertThat(alert.at("/re_enrolled/0/registration_id").asText()).isEqualTo("again");
        assertThat(JSON.readTree(alerts.get(0).getBodyAsString()).has("re_enrolled")).as("none the first time: left out").isFalse();
        assertThat(context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class)
                .find("warp.sentinel.re.enrolled").tag("account", "acc-1").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aDeviceEnrolledAgainAfterItsDeleteIsReportedWithTheDelete() throws Exception {
        cloudflareServesAndAccepts(stale(1));
        ScanRun first = scan();
        assertThat(idsWritten()).containsExactly("s1");

        fleet(List.of(onDevice("again", "s1", "usr-s1", first.getStartedAt().plusSeconds(1).toString())));
        assertThat(scan().isSuccessful()).isTrue();

        JsonNode report = readJson(latest(".json"));
        assertThat(report.at("/gone/0/registration_id").asText()).isEqualTo("s1");
        assertThat(report.get("re_enrolled")).singleElement().satisfies(again -> {
            assertThat(again.get("removed_registration_id").asText()).isEqualTo("s1");
            assertThat(again.get("action").asText()).isEqualTo("delete");
            assertThat(again.get("removed_at").asText()).isEqualTo(first.getStartedAt().toString());
        });
    }

    @Test
    void aDryRunRemovesNothingSoNoDeviceComesBackAfterIt() throws Exception {
        cloudflareServesAndAccepts(stale(1));
        ScanRun first = scan();
        assertThat(first.isSuccessful()).isTrue();

        fleet(List.of(registration("s1", seenDaysAgo(399), null), onDevice("again", "s1", "usr-s1",
                first.getStartedAt().plusSeconds(1).toString())));
        assertThat(scan().isSuccessful()).isTrue();

        assertThat(readJson(latest(".json")).get("re_enrolled")).isEmpty();
        assertThat(Files.readString(stateDir.resolve("state/acc-1.jsonl"))).doesNotContain("\"row\":\"removal\"");
    }

    @Test
    void revokeThenDeleteDeletesWhatItRevokedFirstWithinTheCapAndNeverWhatAPersonRevoked() throws Exception {
        List<String> fleet = new ArrayList<>(stale(3));
        // revoked by warp-sentinel 20 days ago and unseen since; 3 days ago (within delete-after); 20 days ago, seen after it
        fleet.add(registration("ours-old", seenDaysAgo(60), seenDaysAgo(20)));
        fleet.add(registration("ours-recent", seenDaysAgo(60), seenDaysAgo(3)));
        fleet.add(registration("ours-seen", seenDaysAgo(10), seenDaysAgo(20)));
        // revoked by a person; and revoked by warp-sentinel 20 days ago, then unrevoked and revoked again by a person
        // 10 days ago, between two scans: theirs now
        fleet.add(registration("theirs", seenDaysAgo(60), seenDaysAgo(20)));
        fleet.add(registration("theirs-again", seenDaysAgo(60), seenDaysAgo(10)));
        cloudflareServesAndAccepts(fleet);
        earlierScanLeftRows(revokedByUs("ours-old", 20), revokedByUs("ours-recent", 3), revokedByUs("ours-seen", 20),
                findingRow("theirs", "REVOKED", "", 0), revokedByUs("theirs-again", 20));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).extracting(LoggedRequest::getUrl).as("the delete first; then the longest unseen, 3 in all")
                .containsExactly(REGISTRATIONS + "?id=ours-old", REGISTRATIONS + "/revoke?id=s1&id=s2");
        assertThat(writes().get(0).getMethod().getName()).isEqualTo("DELETE");
        List<JsonNode> audit = audit();
        assertThat(audit).extracting(line -> line.get("registration_id").asText() + " " + line.get("action").asText() + " "
                + line.get("outcome").asText()).containsExactly("ours-old delete pending", "ours-old delete done", "s1 revoke pending",
                "s2 revoke pending", "s1 revoke done", "s2 revoke done");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        assertThat(report.at("/remediation/action").asText()).isEqualTo("revoke-then-delete");
        assertThat(report.at("/remediation/delete_after").asText()).isEqualTo("P14D");
        assertThat(report.at("/remediation/over_cap").asInt()).isEqualTo(1);
        String html = Files.readString(onlyReport("acc-1", ".html"));
        assertThat(html).contains("Actions: revoked or deleted by warp-sentinel", "1 deleted, 2 revoked, 0 skipped, 0 failed",
                "<td>deleted</td>", "<td>revoked</td>", "P14D later", "unrevoke?id=s1&amp;id=s2").doesNotContain("unrevoke?id=ours-old");
        var meters = context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.find("warp.sentinel.remediations").tag("action", "delete").tag("outcome", "done").counter().count()).isEqualTo(1);
        assertThat(meters.find("warp.sentinel.remediations").tag("action", "revoke").tag("outcome", "done").counter().count()).isEqualTo(2);
        // the finding state keeps when it revoked and when it deleted
        String state = Files.readString(stateDir.resolve("state/acc-1.jsonl"));
        assertThat(state.lines().filter(line -> line.contains("\"row\":\"removal\"") && line.contains("\"ours-old\"")))
                .singleElement().asString().contains("\"revoked_at\":").contains("\"deleted_at\":");

        // the next scan: ours-old is gone, deleted by warp-sentinel; what it revoked now waits delete-after
        fleet(fleet.stream().filter(registration -> !registration.contains("\"ours-old\"")).map(registration -> registration
                .replaceAll("(\"id\":\"s[12]\".*)\"revoked_at\":null", "$1\"revoked_at\":\"" + Instant.now() + "\"")).toList());
        WIREMOCK.resetRequests();
        assertThat(scan().isSuccessful()).isTrue();
        assertThat(readJson(latest(".json")).at("/gone/0/acted").asText()).startsWith("deleted by warp-sentinel at ");
        assertThat(idsWritten()).containsExactly("s3");
    }

    @Test
    void revokeThenDeleteReChecksEachDeleteAndLeavesOneSeenOrUnrevokedSince() throws Exception {
        List<String> fleet = List.of(registration("ours-a", seenDaysAgo(60), seenDaysAgo(20)),
                registration("ours-b", seenDaysAgo(60), seenDaysAgo(20)), registration("ours-c", seenDaysAgo(60), seenDaysAgo(20)));
        cloudflareServesAndAccepts(fleet);
        earlierScanLeftRows(revokedByUs("ours-a", 20), revokedByUs("ours-b", 20), revokedByUs("ours-c", 20));
        // between the listing and the delete: a seen again (a revoked device cannot connect, but its record says so), b unrevoked
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/ours-a"))
                .willReturn(ok(single(registration("ours-a", Instant.now().toString(), seenDaysAgo(20))))));
        WIREMOCK.stubFor(get(urlPathEqualTo(REGISTRATIONS + "/ours-b")).willReturn(ok(single(registration("ours-b", seenDaysAgo(60), null)))));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(writes()).extracting(LoggedRequest::getUrl).containsExactly(REGISTRATIONS + "?id=ours-c");
        assertThat(outcomes(audit())).containsExactly("ours-a skipped: seen again", "ours-b skipped: unrevoked since the listing",
                "ours-c done");
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).as("nothing revoked this run: nothing to unrevoke")
                .contains("Actions: revoked or deleted by warp-sentinel").doesNotContain("unrevoke call")
                .doesNotContain("registrations/unrevoke");
    }

    /** A registration of the device and user {@code device}'s registration has (CloudflareStub's dev-/usr- ids), created then, seen today. */
    private static String onDevice(String id, String device, String userId, String createdAt) {
        return registration(id, seenDaysAgo(0), null).replace("dev-" + id, "dev-" + device).replace("usr-" + id, userId)
                .replace("\"created_at\":\"2025-01-01T00:00:00Z\"", "\"created_at\":\"" + createdAt + "\"");
    }

    /**
     * The embedded finding state a complete scan 30 days ago left: one open finding since then,
     * which remediation acted on ({@code acted}: revoke, delete) or not (empty).
     */
    private void earlierScanLeft(String registrationId, String reason, String acted) throws Exception {
        long longAgo = Instant.now().minus(30, ChronoUnit.DAYS).toEpochMilli();
        earlierScanLeftRows(findingRow(registrationId, reason, acted, longAgo + 1000));
    }

    /** The embedded finding state a complete scan 30 days ago left: these rows ({@link #findingRow}, {@link #removalRow}). */
    private void earlierScanLeftRows(String... rows) throws Exception {
        long longAgo = Instant.now().minus(30, ChronoUnit.DAYS).toEpochMilli();
        Files.createDirectories(stateDir.resolve("state"));
        Files.writeString(stateDir.resolve("state/acc-1.jsonl"), "{\"account_id\":\"acc-1\",\"last_complete_scan\":" + longAgo
                + ",\"registrations\":2}\n" + String.join("", rows));
    }

    /** A finding open for 30 days, which remediation acted on ({@code acted}: revoke, delete) at {@code actedAt} or not (empty). */
    private static String findingRow(String registrationId, String reason, String acted, long actedAt) {
        long longAgo = Instant.now().minus(30, ChronoUnit.DAYS).toEpochMilli();
        return "{\"registration_id\":\"" + registrationId + "\",\"reason\":\"" + reason
                + "\",\"finding_since\":" + longAgo + ",\"alerted_at\":null,\"owner_noticed_at\":null"
                + (acted.isEmpty() ? "" : ",\"acted\":\"" + acted + "\",\"acted_at\":" + actedAt)
                + ",\"device_name\":\"Device " + registrationId + "\",\"user_email\":\"" + registrationId + "@example.com\","
                + "\"last_seen_at\":\"2025-01-01T00:00:00Z\"}\n";
    }

    /** warp-sentinel revoked the registration (of CloudflareStub's device and user) {@code days} ago: its finding and its removal. */
    private static String revokedByUs(String registrationId, int days) {
        long revokedAt = Instant.now().minus(days, ChronoUnit.DAYS).toEpochMilli();
        return findingRow(registrationId, "REVOKED", "revoke", revokedAt) + "{\"row\":\"removal\",\"registration_id\":\""
                + registrationId + "\",\"device_id\":\"dev-" + registrationId + "\",\"user_id\":\"usr-" + registrationId
                + "\",\"revoked_at\":" + revokedAt + "}\n";
    }

    /** The last scan's report (two scans in the same second share a name: the second replaced the first). */
    private Path latest(String suffix) throws Exception {
        List<Path> reports = reportFiles(suffix);
        return reports.get(reports.size() - 1);
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
