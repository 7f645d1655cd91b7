package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.report.ReportColumn;
import io.warpsentinel.report.ReportIndex;
import io.warpsentinel.report.Wording;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reasons, changes and report columns are data: every one of them reaches every consumer, the
 * expectations read off the enums themselves. A reason, change or column added to its enum and
 * missed by a consumer fails here: the JSON summary, the HTML counts, the wording (e-mail subject
 * and text, log line), the three webhook formats, the metrics and the run history for reasons
 * and changes, the charts' legend and the report index for reasons; the CSV header, the JSON
 * findings and the HTML table for columns.
 */
class EveryReasonChangeAndColumnIsReportedTest extends ScanRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final int PORT = freePort();
    private static final String LONG_AGO = "2020-01-01T00:00:00Z";

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("camel.management.port", String.valueOf(PORT));
        settings.put("camel.management.host", "127.0.0.1");
        settings.put("sentinel.email.enabled", "true");
        settings.put("sentinel.email.host", "127.0.0.1");
        settings.put("sentinel.email.port", String.valueOf(MAIL.getSmtp().getPort()));
        settings.put("sentinel.email.security", "none");
        settings.put("sentinel.email.from", "sentinel@example.com");
        settings.put("sentinel.email.to", "secops@example.com");
        settings.put("sentinel.webhooks", "ops,chat,teams");
        settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        settings.put("sentinel.webhook.chat.url", WIREMOCK.baseUrl() + "/hooks/chat");
        settings.put("sentinel.webhook.chat.format", "slack");
        settings.put("sentinel.webhook.teams.url", WIREMOCK.baseUrl() + "/hooks/teams");
        settings.put("sentinel.webhook.teams.format", "teams");
        settings.put("sentinel.exclude.device-names", "LAB-[0-9]+");
        return settings;
    }

    private int scans;

    private void serve(String... registrations) {
        scans++;
        List<String> fleet = List.of(registrations);
        for (int page = 0; page * 2 < fleet.size(); page++) {
            List<String> items = fleet.subList(page * 2, Math.min(fleet.size(), page * 2 + 2));
            boolean last = page * 2 + 2 >= fleet.size();
            cloudflare.page("acc-1", page == 0 ? null : "scan" + scans + "-page" + (page + 1),
                    withCursor(last ? "" : "scan" + scans + "-page" + (page + 2), items));
        }
    }

    @Test
    void everyFindingReasonAndEveryChangeReachEveryConsumerAndEveryColumnEveryFormat() throws Exception {
        for (String hook : List.of("/hooks/ops", "/hooks/chat", "/hooks/teams")) {
            WIREMOCK.stubFor(post(urlEqualTo(hook)).willReturn(aResponse().withStatus(200)));
        }
        String now = Instant.now().toString();
        // counts that differ within each kind, so a count shown under another's name shows
        serve(registration("still-stale", LONG_AGO, null), registration("still-revoked", LONG_AGO, "2020-02-01T00:00:00Z"),
                registration("still-invalid", "not a date", null), registration("recovers", LONG_AGO, null),
                registration("goes-1", LONG_AGO, null), registration("goes-2", LONG_AGO, null), registration("current", now, null));
        assertThat(scan().isSuccessful()).isTrue();
        serve(registration("still-stale", LONG_AGO, null), registration("still-revoked", LONG_AGO, "2020-02-01T00:00:00Z"),
                registration("still-invalid", "not a date", null), registration("recovers", now, null), registration("current", now, null),
                registration("new-stale-1", "2021-01-01T00:00:00Z", null), registration("new-stale-2", "2022-01-01T00:00:00Z", null),
                registration("new-stale-3", "2023-01-01T00:00:00Z", null), registration("new-invalid", null, null),
                registration("excluded", "LAB-1", LONG_AGO, null),
                // one device enrolled four times by one user: the three older registrations are superseded
                ofDevice("replaced-1", LONG_AGO), ofDevice("replaced-2", LONG_AGO), ofDevice("replaced-3", LONG_AGO), ofDevice("newest", now),
                // enrolled long ago and never seen after: five never used
                neverUsed("idle-1"), neverUsed("idle-2"), neverUsed("idle-3"), neverUsed("idle-4"), neverUsed("idle-5"));
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            assertThat(scan().isSuccessful()).isTrue();
            logs = captured.text();
        }

        JsonNode report = readJson(latest(".json"));
        List<Map<String, String>> rows = readCsv(latest(".csv"));
        Map<Reason, Long> byReason = new LinkedHashMap<>();
        for (Reason reason : Reason.findings()) {
            byReason.put(reason, rows.stream().filter(row -> row.get("reason").equals(reason.label())).count());
        }
        Map<Change, Long> byChange = new LinkedHashMap<>();
        for (Change change : Change.values()) {
            long sections = Stream.of("recovered", "gone").flatMap(section -> elements(report.get(section)).stream())
                    .filter(entry -> entry.path("change").asText().equals(change.label())).count();
            byChange.put(change, rows.stream().filter(row -> row.get("change").equals(change.label())).count() + sections);
        }
        // a reason or change this fleet does not have is counted 0, and must still show everywhere
        assertThat(byReason.values().stream().filter(count -> count > 0)).as("by reason: %s", byReason).doesNotHaveDuplicates();
        assertThat(byChange.values().stream().filter(count -> count > 0)).as("by change: %s", byChange).doesNotHaveDuplicates();

        // the JSON summary: each reason, then findings, each change, in the enums' order
        List<String> keys = new ArrayList<>(List.of("scanned"));
        byReason.keySet().forEach(reason -> keys.add(reason.label()));
        keys.add("findings");
        byChange.keySet().forEach(change -> keys.add(change.label()));
        keys.addAll(List.of("excluded", "service_tokens", "re_enrolled", "alerts_due", "duplicates", "pages"));
        JsonNode summary = report.get("summary");
        assertThat(names(summary)).isEqualTo(keys);
        byReason.forEach((reason, count) -> assertThat(summary.get(reason.label()).asLong()).as(reason.label()).isEqualTo(count));
        byChange.forEach((change, count) -> assertThat(summary.get(change.label()).asLong()).as(change.label()).isEqualTo(count));
        assertThat(names(report.get("previous_scan"))).containsAll(byReason.keySet().stream().map(Reason::label).toList());

        // the columns: the CSV header and every JSON finding's keys, in declaration order
        List<String> headers = new ArrayList<>(ReportColumn.finding(anyFinding()).keySet());
        assertThat(Files.readAllLines(latest(".csv")).get(0)).isEqualTo(String.join(",", headers));
        assertThat(elements(report.get("findings"))).hasSize(rows.size()).allSatisfy(finding -> assertThat(names(finding)).isEqualTo(headers));

        // the HTML page: the counts by reason, the changes, and the findings table as its script reads it
        String page = Files.readString(latest(".html"));
        List<String> countTables = matches("<table class=\"counts\">(.*?)</table>", page);
        assertThat(countTables).hasSize(2);
        assertThat(matches("<th>(.*?)</th>", countTables.get(0)))
                .isEqualTo(Stream.concat(Stream.of("scanned"), byReason.keySet().stream().map(Reason::label)).toList());
        assertThat(matches("<td>([0-9,]+)", countTables.get(0)).subList(1, byReason.size() + 1))
                .isEqualTo(byReason.values().stream().map(String::valueOf).toList());
        assertThat(matches("<th>(.*?)</th>", countTables.get(1)))
                .isEqualTo(Stream.concat(byChange.keySet().stream().map(Change::phrase), Stream.of("excluded")).toList());
        assertThat(matches("<td>([0-9,]+)", countTables.get(1)).subList(0, byChange.size()))
                .isEqualTo(byChange.values().stream().map(String::valueOf).toList());
        JsonNode columns = JSON.readTree(matches("<script type=\"application/json\" id=\"finding-columns\">(.*?)</script>", page).get(0));
        List<String> headings = elements(columns).stream().map(column -> column.get("heading").asText()).toList();
        assertThat(matches("<th>(.*?)</th>", matches("<table id=\"findings\"[^>]*><thead>(.*?)</thead>", page).get(0)))
                .as("the table's headings are the column list the script reads").isEqualTo(headings);

        // the charts' legend; the index: a column per reason, with this scan's counts
        List<String> labels = byReason.keySet().stream().map(Reason::label).toList();
        assertThat(matches("</i>([^<]+)", matches("<p class=\"legend\">(.*?)</p>", page).get(0))).isEqualTo(labels);
        String index = Files.readString(reportDir.resolve(ReportIndex.FILE));
        List<String> indexHeadings = matches("<th>(.*?)</th>", index);
        assertThat(indexHeadings.subList(indexHeadings.indexOf("findings") + 1, indexHeadings.indexOf("new"))).isEqualTo(labels);
        assertThat(matches("<td class=\"number\">([0-9,]+)</td>", index).subList(1, byReason.size() + 1))
                .isEqualTo(byReason.values().stream().map(String::valueOf).toList());

        // the wording: the e-mail's subject and text, the log line
        MimeMessage mail = MAIL.getReceivedMessages()[MAIL.getReceivedMessages().length - 1];
        Multipart alternative = (Multipart) mail.getContent();
        String text = null;
        for (int part = 0; part < alternative.getCount(); part++) {
            if (alternative.getBodyPart(part).getContentType().startsWith("text/plain")) {
                text = String.valueOf(alternative.getBodyPart(part).getContent());
            }
        }
        String logLine = logs.lines().filter(line -> line.contains("Account acc-1: ") && line.contains(" findings in ")).findFirst().orElseThrow();
        String plainText = text;
        String subject = mail.getSubject();
        byReason.forEach((reason, count) -> {
            assertThat(subject).contains(count + " " + reason.label());
            assertThat(plainText).contains(", " + reason.label() + " " + count);
            assertThat(logLine).contains(count + " " + reason.label());
        });
        byChange.forEach((change, count) -> {
            assertThat(plainText).contains(count + " " + change.phrase());
            assertThat(logLine).contains(count + " " + change.phrase());
        });

        // the webhooks: json carries the summary, Slack and Teams show each reason under its title
        assertThat(lastPost("/hooks/ops").get("summary")).isEqualTo(summary);
        List<String> slackFields = elements(lastPost("/hooks/chat").at("/blocks/2/fields")).stream().map(f -> f.get("text").asText()).toList();
        Map<String, String> teamsFacts = new LinkedHashMap<>();
        elements(lastPost("/hooks/teams").at("/attachments/0/content/body/3/facts"))
                .forEach(fact -> teamsFacts.put(fact.get("title").asText(), fact.get("value").asText()));
        byReason.forEach((reason, count) -> {
            assertThat(slackFields).contains("*" + Wording.title(reason) + "*\n" + count);
            assertThat(teamsFacts).containsEntry(Wording.title(reason), String.valueOf(count));
        });

        // the metrics and the run history
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/observe/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode history = JSON.readTree(Files.readAllLines(stateDir.resolve("history.jsonl")).get(1));
        byReason.forEach((reason, count) -> {
            assertThat(metrics).contains("warp_sentinel_registrations{account=\"acc-1\",reason=\"" + reason.label() + "\"} " + count + ".0")
                    .contains("warp_sentinel_findings_total{account=\"acc-1\",reason=\"" + reason.label() + "\"}");
            assertThat(history.get(reason.label()).asLong()).isEqualTo(count);
        });
        byChange.forEach((change, count) -> {
            assertThat(metrics).contains("warp_sentinel_changes{account=\"acc-1\",change=\"" + change.label() + "\"} " + count + ".0");
            assertThat(history.get(change.label()).asLong()).isEqualTo(count);
        });
    }

    /** A registration of the one device "laptop" of user "usr-laptop", last seen at {@code lastSeen}. */
    private static String ofDevice(String id, String lastSeen) {
        return registration(id, lastSeen, null).replace("\"dev-" + id + "\"", "\"laptop\"").replace("\"usr-" + id + "\"", "\"usr-laptop\"");
    }

    /** A registration last seen the moment it was created, in 2021. */
    private static String neverUsed(String id) {
        return registration(id, "2021-06-01T10:00:00Z", null).replace("\"created_at\":\"2025-01-01T00:00:00Z\"",
                "\"created_at\":\"2021-06-01T09:59:00Z\"");
    }

    /** Any finding: {@link ReportColumn#finding} names every column whatever the values. */
    private static Verdict anyFinding() {
        return new Verdict(Registration.unreadable("for its column names"), Reason.INVALID, null, null);
    }

    private Path latest(String suffix) throws Exception {
        List<Path> reports = reportFiles(suffix);
        return reports.get(reports.size() - 1);
    }

    private static JsonNode lastPost(String hook) throws Exception {
        List<LoggedRequest> posts = WIREMOCK.findAll(postRequestedFor(urlEqualTo(hook)));
        assertThat(posts).as(hook).hasSize(2);
        return JSON.readTree(posts.get(posts.size() - 1).getBodyAsString());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.elements().forEachRemaining(elements::add);
        return elements;
    }

    private static List<String> matches(String regex, String text) {
        Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
