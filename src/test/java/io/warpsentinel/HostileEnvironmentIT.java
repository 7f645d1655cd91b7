package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar in a careless or hostile environment: what only a process shows (that it
 * ends, its exit status, everything it prints, at DEBUG too).
 */
class HostileEnvironmentIT {

    private static final String TOKEN = "it-token-must-never-be-printed-0123456789";
    private static final String KEY = "AIzaSyFakeChatKey-must-never-be-printed";
    private static final String WEBHOOK_TOKEN = "chat-token-must-never-be-printed-42";
    private static final String WRITE_TOKEN = "it-write-token-must-never-be-printed-97531";

    @RegisterExtension
    static final WireMockExtension SERVERS = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workDir;

    private String baseUrl() {
        return "-Dcloudflare.base-url=" + SERVERS.baseUrl() + "/client/v4";
    }

    @Test
    void aRunHistoryThatCannotBeWrittenNeverHangsTheRunOnceAndFailsItLoudly() throws Exception {
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("good"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 2, "2020-01-01T00:00:00Z")))));
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("denied"))).willReturn(aResponse().withStatus(403)
                .withBody(CloudflareStub.error(10000, "Authentication error"))));
        Files.writeString(workDir.resolve("blocked"), "a file where the history's folder should be");

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "denied,good"),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.history.file=" + workDir.resolve("blocked/history.jsonl"));

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output())
                .contains("ERROR", "Scan of account denied failed and wrote no report: Cloudflare answered HTTP 403")
                .contains("Account denied: its failed scan could not be recorded in the run history")
                .contains("Scan of account good failed after publishing its reports", "Cannot append to the run history")
                .contains("Run-once scan failed")
                .doesNotContain(TOKEN);
    }

    @ParameterizedTest(name = "LOG_FORMAT={0}")
    @ValueSource(strings = {"text", "json"})
    void atDebugLevelNoTokenNoWebhookCredentialReachesTheConsoleOrTheDeadLetters(String format) throws Exception {
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 1, "2020-01-01T00:00:00Z")))));
        // Google Chat style: the credentials are query parameters, which Camel would reorder and re-encode
        SERVERS.stubFor(post(urlPathEqualTo("/v1/spaces/AAAAxyz/messages")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "1").withBody("echo: key=" + KEY)));
        String webhook = SERVERS.baseUrl() + "/v1/spaces/AAAAxyz/messages?token=" + WEBHOOK_TOKEN + "&key=" + KEY;
        // remediation too: its write token must stay as unprinted as the read token
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc") + "/r1")).willReturn(aResponse().withStatus(200)
                .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":"
                        + CloudflareStub.registration("r1", "2020-01-01T00:00:00Z", null) + "}")));
        SERVERS.stubFor(post(urlPathEqualTo(CloudflareStub.path("acc") + "/revoke")).willReturn(aResponse().withStatus(200)
                .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}")));

        PackagedJar.Outcome outcome = PackagedJar.run(workDir,
                Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc", "SENTINEL_WEBHOOK_CHAT_URL", webhook,
                        "LOG_LEVEL", "DEBUG", "LOG_CAMEL", "DEBUG", "LOG_FORMAT", format, "CLOUDFLARE_API_WRITE_TOKEN", WRITE_TOKEN),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.webhooks=chat", "-Dsentinel.delivery.max-retries=0",
                "-Dsentinel.dead-letter.dir=" + workDir.resolve("dead-letters"), "-Dsentinel.remediate.action=revoke",
                "-Dsentinel.remediate.dry-run=false", "-Dsentinel.remediate.min-open=PT0S", "-Dsentinel.remediate.halt-above=1");

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).as("DEBUG is on").contains("DEBUG").contains("DefaultPropertiesParser")
                .contains("webhook chat failed after its retries");
        assertThat(SERVERS.findAll(postRequestedFor(urlPathEqualTo(CloudflareStub.path("acc") + "/revoke"))))
                .singleElement().satisfies(revoke -> assertThat(revoke.getHeader("Authorization")).isEqualTo("Bearer " + WRITE_TOKEN));
        assertThat(outcome.output()).doesNotContain(TOKEN).doesNotContain(WRITE_TOKEN).doesNotContain(KEY).doesNotContain(WEBHOOK_TOKEN)
                .as("the webhook's path, cut wherever its URL is printed").doesNotContain("AAAAxyz");
        try (Stream<Path> letters = Files.list(workDir.resolve("dead-letters"))) {
            for (Path letter : letters.toList()) {
                assertThat(Files.readString(letter)).as(letter.toString()).doesNotContain(KEY).doesNotContain(WEBHOOK_TOKEN);
            }
        }
        // HttpClient's own retry would have POSTed a 503 with Retry-After a second time
        assertThat(SERVERS.findAll(postRequestedFor(urlPathEqualTo("/v1/spaces/AAAAxyz/messages")))).hasSize(1);
    }

    @Test
    void aDeadLetterFolderThatCannotBeWrittenSaysSoWithoutTheWebhooksUrl() throws Exception {
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 1, "2020-01-01T00:00:00Z")))));
        SERVERS.stubFor(post(urlPathEqualTo("/hooks/T0123/B0456/abcdefghijklmnopqrstuvwx")).willReturn(aResponse().withStatus(500)));
        Files.writeString(workDir.resolve("not-a-folder"), "a file where the dead letters should go");

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc"),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.webhooks=slack", "-Dsentinel.webhook.slack.format=slack",
                "-Dsentinel.webhook.slack.url=" + SERVERS.baseUrl() + "/hooks/T0123/B0456/abcdefghijklmnopqrstuvwx",
                "-Dsentinel.delivery.max-retries=0", "-Dsentinel.dead-letter.dir=" + workDir.resolve("not-a-folder"));

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).contains("webhook slack failed after its retries: webhook slack answered HTTP 500",
                "could not be kept in", "sentinel.dead-letter.dir").doesNotContain("abcdefghijklmnopqrstuvwx");
    }

    @Test
    void aSixtyMegabytePageIsScannedWithinASmallHeapAndOneHugeValueFailsTheAccountClearly() throws Exception {
        StringBuilder page = new StringBuilder(62 << 20).append("{\"success\":true,\"errors\":[],\"result\":[");
        int count = 0;
        while (page.length() < 60 << 20) {
            page.append(count == 0 ? "" : ",").append(CloudflareStub.registration("r" + count, "2020-01-01T00:00:00Z", null));
            count++;
        }
        page.append("],\"result_info\":{\"cursor\":\"\"}}");
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("big"))).willReturn(aResponse().withStatus(200).withBody(page.toString())));
        String huge = "{\"success\":true,\"result\":[" + CloudflareStub.registration("h", "x".repeat(60 << 20), "2020-01-01T00:00:00Z", null)
                + "],\"result_info\":{\"cursor\":\"\"}}";
        SERVERS.stubFor(get(urlPathEqualTo(CloudflareStub.path("huge"))).willReturn(aResponse().withStatus(200).withBody(huge)));

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "big,huge"),
                "-Xmx128m", "-Dsentinel.once=true", baseUrl());

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).doesNotContain("OutOfMemoryError")
                .contains(String.format("Account big: %,d findings in %,d registrations", count, count))
                .contains("Scan of account huge failed and wrote no report", "a value is longer than 1,000,000 characters");
    }

    @Test
    void listingAnAccountTwiceSendingTheSmtpPasswordInClearOrWritingWithoutAWriteTokenIsRefusedAtStartUp() throws Exception {
        PackagedJar.Outcome twice = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "acc1,acc2,acc1"),
                "-Dsentinel.once=true", baseUrl());
        assertThat(twice.exitStatus()).as(twice.output()).isEqualTo(2);
        assertThat(twice.output()).contains("cloudflare.account-ids lists 'acc1' twice");

        PackagedJar.Outcome clear = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc",
                        "SENTINEL_EMAIL_PASSWORD", "smtp-password-0123456789"),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.email.enabled=true", "-Dsentinel.email.to=it@example.com",
                "-Dsentinel.email.security=none", "-Dsentinel.email.username=mailer", "-Dsentinel.email.host=smtp.example.com",
                "-Dsentinel.webhooks=plain", "-Dsentinel.webhook.plain.url=http://hooks.example.invalid/x");
        assertThat(clear.exitStatus()).as(clear.output()).isEqualTo(2);
        assertThat(clear.output()).contains("would send the SMTP password in clear to smtp.example.com")
                .contains("WARN", "sentinel.webhook.plain.url uses plain http:// to hooks.example.invalid")
                .doesNotContain("cloudflare.base-url uses plain http://") // loopback
                .doesNotContain("smtp-password-0123456789");

        PackagedJar.Outcome writeWithoutToken = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc"),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.remediate.action=delete", "-Dsentinel.remediate.dry-run=false");
        assertThat(writeWithoutToken.exitStatus()).as(writeWithoutToken.output()).isEqualTo(2);
        assertThat(writeWithoutToken.output()).contains("cloudflare.api-write-token is not set",
                "sentinel.remediate.action=delete with sentinel.remediate.dry-run=false needs it");
    }
}
