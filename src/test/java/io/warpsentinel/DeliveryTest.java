package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.warpsentinel.deliver.WebhookSignature;
import io.warpsentinel.finding.ScanRun;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real servers on loopback: GreenMail speaking SMTPS, WireMock as the webhook receivers. */
class DeliveryTest extends ScanRouteTestSupport {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

    private static final String SECRET = "whsec-test-0123456789abcdef";
    private static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.email.enabled", "true");
        settings.put("sentinel.email.host", "127.0.0.1");
        settings.put("sentinel.email.port", String.valueOf(MAIL.getSmtps().getPort()));
        settings.put("sentinel.email.security", "smtps");
        settings.put("sentinel.email.ssl-trust", "*"); // GreenMail's certificate is self-signed
        settings.put("sentinel.email.from", "sentinel@example.com");
        settings.put("sentinel.email.to", "secops@example.com");
        settings.put("sentinel.email.cc", "it@example.com");
        settings.put("sentinel.webhooks", "ops,chat,teams");
        settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        settings.put("sentinel.webhook.ops.secret", SECRET);
        settings.put("sentinel.webhook.ops.headers", "X-Team: secops; X-Api-Key: key-0123456789");
        settings.put("sentinel.webhook.chat.url", WIREMOCK.baseUrl() + "/hooks/chat/T000/B000/slack-path-secret");
        settings.put("sentinel.webhook.chat.format", "slack");
        settings.put("sentinel.webhook.teams.url", WIREMOCK.baseUrl() + "/hooks/teams");
        settings.put("sentinel.webhook.teams.format", "teams");
        settings.put("sentinel.webhook.teams.findings-limit", "2");
        settings.put("sentinel.delivery.max-retries", "2");
        settings.put("sentinel.delivery.initial-delay", "10");
        settings.put("sentinel.report.message-max-rows", "3");
        return settings;
    }

    private void fleetWithAHostileDeviceName() {
        cloudflare.page("acc-1", null, lastPage(List.of(
                registration("r1", "Kiosk, \"Lobby\"", "2024-06-01T00:00:00Z", null),
                registration("r2", "<script>alert(1)</script>", LONG_AGO, null),
                registration("r3", "old laptop", "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z"),
                registration("r4", "fresh", java.time.Instant.now().toString(), null),
                // a line break that would make a line passing for a finding in a plain-text e-mail or a chat message
                registration("r5", "Müller's PC\u2028\n• 999 days · stale (new) · CEO laptop", "2022-01-01T00:00:00Z", null))));
    }

    private void webhooksAnswer(int status) {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(status)));
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/chat/T000/B000/slack-path-secret")).willReturn(aResponse().withStatus(200)));
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/teams")).willReturn(aResponse().withStatus(200)));
    }

    private static LoggedRequest onlyRequest(String url) {
        List<LoggedRequest> requests = WIREMOCK.findAll(postRequestedFor(urlEqualTo(url)));
        assertThat(requests).as(url).hasSize(1);
        return requests.get(0);
    }

    @Test
    void emailsTheHtmlReportWithATextAlternativeAndTheCsvAttached() throws Exception {
        fleetWithAHostileDeviceName();
        webhooksAnswer(200);

        ScanRun run = scan();

        assertThat(run.isSuccessful()).as("%s %s", run.getFailures(), run.getDeliveryFailures()).isTrue();
        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).as("one copy for To, one for Cc").hasSize(2);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("[warp-sentinel] acc-1: 4 findings in 5 registrations: 3 stale, 1 revoked");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("sentinel@example.com");
        assertThat(mail.getHeader("Cc")[0]).isEqualTo("it@example.com");

        // camel-mail's layout: alternative { text/plain, mixed { text/html, the CSV } }; mail
        // clients show the richest alternative, the HTML with its attachment.
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        Multipart alternative = (Multipart) mail.getContent();
        String text = content(partOfType(alternative, "text/plain"));
        Multipart mixed = (Multipart) partOfType(alternative, "multipart/mixed").getContent();
        String html = content(partOfType(mixed, "text/html"));
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)")
                .contains("1 more in the attached CSV");
        assertThat(text).contains("4 findings in 5 registrations").contains("1 more in the attached CSV")
                .contains("Müller's PC  • 999 days").doesNotContain("\n• 999").doesNotContain("\u2028");

        Part attachment = partOfType(mixed, "text/csv");
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).matches("warp-sentinel-acc-1-\\d{8}T\\d{6}Z\\.csv");
        // text/* parts travel with CRLF line ends (MIME's canonical form)
        assertThat(content(attachment).replace("\r\n", "\n")).isEqualTo(Files.readString(onlyReport("acc-1", ".csv")))
                .contains(",\"Kiosk, \"\"Lobby\"\"\",");
        // the HTML e-mail body is the report's page without its script (mail clients drop scripts)
        String page = Files.readString(onlyReport("acc-1", ".html"));
        assertThat(page).contains("<script>", "data-rows=\"findings-data\"");
        assertThat(html).doesNotContain("<script").doesNotContain("data-rows").contains("<h1>Stale and revoked WARP registrations</h1>")
                .contains("Müller&#39;s PC").contains("old laptop");
        // mail clients show no inline SVG: the charts stay in the report file, the breakdowns' tables come along
        assertThat(page).contains("<svg class=\"chart\"", "<svg class=\"bar\"");
        assertThat(html).doesNotContain("<svg").contains("<caption>Days since last seen</caption>", "<caption>Client version</caption>");
    }

    @Test
    void webhooksGetTheirFormatsAndTheSignatureVerifiesWithTheSecretOnly() throws Exception {
        fleetWithAHostileDeviceName();
        webhooksAnswer(200);

        scan();

        LoggedRequest ops = onlyRequest("/hooks/ops");
        String body = ops.getBodyAsString();
        JsonNode json = JSON.readTree(body);
        assertThat(json.at("/summary/scanned").asInt()).isEqualTo(5);
        assertThat(json.at("/summary/findings").asInt()).isEqualTo(4);
        assertThat(json.get("findings")).extracting(f -> f.get("registration_id").asText()).containsExactly("r2", "r5", "r3");
        assertThat(json.get("findings_not_listed").asInt()).isEqualTo(1);
        assertThat(ops.getHeader("Content-Type")).startsWith("application/json");
        assertThat(ops.getHeader("X-Team")).isEqualTo("secops");
        String timestamp = ops.getHeader(WebhookSignature.TIMESTAMP_HEADER);
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(ops.getHeader(WebhookSignature.SIGNATURE_HEADER))
                .isEqualTo(WebhookSignature.sign(SECRET, Long.parseLong(timestamp), body))
                .isNotEqualTo(WebhookSignature.sign("another-secret-entirely", Long.parseLong(timestamp), body))
                .isNotEqualTo(WebhookSignature.sign(SECRET, Long.parseLong(timestamp) + 1, body));

        JsonNode slack = JSON.readTree(onlyRequest("/hooks/chat/T000/B000/slack-path-secret").getBodyAsString());
        assertThat(slack.get("text").asText()).contains("acc-1", "4 findings");
        assertThat(slack.get("blocks")).extracting(b -> b.get("type").asText()).containsExactly("header", "section", "section", "section", "context");
        assertThat(slack.at("/blocks/2/fields")).extracting(field -> field.get("text").asText()).contains("*Stale*\n3")
                .as("first scan: every finding is new").contains("*New*\n4");
        assertThat(slack.at("/blocks/3/text/text").asText()).contains("&lt;script&gt;").doesNotContain("<script>")
                .as("three findings listed, one line each, and the line saying how many more").hasLineCount(5)
                .contains("Müller's PC  • 999 days");
        assertThat(onlyRequest("/hooks/chat/T000/B000/slack-path-secret").getHeader(WebhookSignature.SIGNATURE_HEADER)).as("no secret, no signature").isNull();

        JsonNode teams = JSON.readTree(onlyRequest("/hooks/teams").getBodyAsString());
        assertThat(teams.get("type").asText()).isEqualTo("message");
        assertThat(teams.at("/attachments/0/contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = teams.at("/attachments/0/content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("body")).extracting(b -> b.get("type").asText()).containsExactly("TextBlock", "TextBlock", "TextBlock", "FactSet", "TextBlock", "FactSet", "TextBlock");
        assertThat(card.at("/body/5/facts")).hasSize(2);
        assertThat(card.at("/body/6/text").asText()).isEqualTo("2 more in " + onlyReport("acc-1", ".csv").getFileName());
    }

    @Test
    void aTeamsCardShowsDeviceAndUserNamesAsTextNeverAsLinksOrLists() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(
                registration("r1", "[Reset your password](https://evil.example/login)", "[Sign in](https://evil.example)@example.com",
                        LONG_AGO, null),
                registration("r2", "- **1. <https://evil.example/login>**\n- [more](https://evil.example)", "_urgent_@example.com",
                        "2020-06-01T00:00:00Z", null),
                registration("r3", "fresh", java.time.Instant.now().toString(), null))));
        webhooksAnswer(200);

        scan();

        JsonNode card = JSON.readTree(onlyRequest("/hooks/teams").getBodyAsString()).at("/attachments/0/content");
        List<String> texts = new java.util.ArrayList<>();
        for (JsonNode element : card.get("body")) {
            if (element.has("text")) {
                texts.add(element.get("text").asText());
            }
            for (JsonNode fact : element.path("facts")) {
                texts.add(fact.get("title").asText());
                texts.add(fact.get("value").asText());
            }
        }
        assertThat(texts).anyMatch(text -> text.contains("Reset your password")).anyMatch(text -> text.contains("urgent"));
        assertThat(texts).allSatisfy(text -> assertThat(TeamsMarkup.in(text)).as("markup in %s", text).isEmpty());
        assertThat(texts).contains("\\[Reset your password\\](https://evil.example/login) · \\[Sign in\\](https://evil.example)@example.com");
    }

    @Test
    void aChannelThatIsDownRetriesThenLeavesADeadLetterWhileTheOthersStillDeliver() throws Exception {
        fleetWithAHostileDeviceName();
        webhooksAnswer(500);

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(run.getFailures()).isEmpty();
        assertThat(run.isSuccessful()).isFalse();
        assertThat(run.getDeliveryFailures()).containsOnlyKeys("acc-1 -> webhook ops");
        WIREMOCK.verify(3, postRequestedFor(urlEqualTo("/hooks/ops")));
        onlyRequest("/hooks/teams");
        onlyRequest("/hooks/chat/T000/B000/slack-path-secret");
        assertThat(MAIL.getReceivedMessages()).hasSize(2);
        assertThat(reportFiles(".csv")).hasSize(1);

        Path deadLetters = stateDir.resolve("dead-letters");
        List<Path> kept;
        try (Stream<Path> files = Files.list(deadLetters)) {
            kept = files.sorted().toList();
        }
        assertThat(kept).hasSize(2);
        Path meta = kept.stream().filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        JsonNode why = JSON.readTree(meta.toFile());
        assertThat(why.get("channel").asText()).isEqualTo("webhook ops");
        assertThat(why.get("reason").asText()).contains("500");
        String undelivered = Files.readString(deadLetters.resolve(why.get("body_file").asText()));
        assertThat(JSON.readTree(undelivered).at("/summary/findings").asInt()).isEqualTo(4);
        String everything = Files.readString(meta) + undelivered + logs;
        assertThat(everything).doesNotContain(SECRET).doesNotContain("key-0123456789").doesNotContain(CloudflareStub.TOKEN);
        assertThat(logs).contains("webhook ops failed after its retries");
    }

    private static Part partOfType(Multipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).getContentType().startsWith(type)) {
                return multipart.getBodyPart(i);
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static String content(Part part) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        part.getDataHandler().writeTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
