package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.warpsentinel.deliver.WebhookSignature;
import io.warpsentinel.finding.ScanRun;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** only-with-findings: an all-clear is written to disk but not sent; findings are sent. Plain SMTP with STARTTLS off. */
class QuietDeliveryTest extends ScanRouteTestSupport {

    private static final String SECRET = "another-test-secret-42";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.email.enabled", "true");
        settings.put("sentinel.email.host", "127.0.0.1");
        settings.put("sentinel.email.port", String.valueOf(MAIL.getSmtp().getPort()));
        settings.put("sentinel.email.security", "none");
        settings.put("sentinel.email.to", "secops@example.com");
        settings.put("sentinel.email.only-with-findings", "true");
        settings.put("sentinel.webhooks", "quiet,always");
        settings.put("sentinel.webhook.quiet.url", WIREMOCK.baseUrl() + "/hooks/quiet");
        settings.put("sentinel.webhook.quiet.only-with-findings", "true");
        settings.put("sentinel.webhook.always.url", WIREMOCK.baseUrl() + "/hooks/always");
        settings.put("sentinel.webhook.always.findings-limit", "all");
        settings.put("sentinel.webhook.always.secret", SECRET);
        return settings;
    }

    @Test
    void anAllClearIsWrittenButOnlyTheAlwaysChannelsHearOfIt() throws Exception {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/quiet")).willReturn(aResponse().withStatus(200)));
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/always")).willReturn(aResponse().withStatus(200)));
        cloudflare.page("acc-1", null, lastPage(List.of(registration("r1", Instant.now().toString(), null))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(reportFiles(".html")).hasSize(1);
        assertThat(MAIL.getReceivedMessages()).isEmpty();
        WIREMOCK.verify(0, postRequestedFor(urlEqualTo("/hooks/quiet")));
        WIREMOCK.verify(1, postRequestedFor(urlEqualTo("/hooks/always")));
    }

    @Test
    void findingsAreSentEverywhere() throws Exception {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/quiet")).willReturn(aResponse().withStatus(204)));
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/always")).willReturn(aResponse().withStatus(200)));
        cloudflare.page("acc-1", null, lastPage(List.of(registration("r1", "2020-01-01T00:00:00Z", null))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
        assertThat(MAIL.getReceivedMessages()[0].getSubject()).isEqualTo("[warp-sentinel] acc-1: 1 finding in 1 registration: 1 stale");
        WIREMOCK.verify(1, postRequestedFor(urlEqualTo("/hooks/quiet")));
        // findings-limit=all: the whole JSON report, streamed from its file, and signed over it
        var always = WIREMOCK.findAll(postRequestedFor(urlEqualTo("/hooks/always"))).get(0);
        assertThat(always.getBodyAsString()).isEqualTo(java.nio.file.Files.readString(onlyReport("acc-1", ".json")));
        long timestamp = Long.parseLong(always.getHeader(WebhookSignature.TIMESTAMP_HEADER));
        assertThat(always.getHeader(WebhookSignature.SIGNATURE_HEADER))
                .isEqualTo(WebhookSignature.sign(SECRET, timestamp, always.getBodyAsString()));
    }
}
