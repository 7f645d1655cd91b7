package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static io.warpsentinel.CloudflareStub.withPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.warpsentinel.finding.ScanRun;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Exclusions by user e-mail, device name, registration id and policy name: counted and listed apart, never findings or alerts. */
class ExclusionsTest extends ScanRouteTestSupport {

    private static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.exclude.user-emails", "KIOSK-*@example.com, nobody@example.org");
        settings.put("sentinel.exclude.device-names", "LAB-[0-9]+");
        settings.put("sentinel.exclude.registration-ids", "svc-token");
        settings.put("sentinel.exclude.policy-names", "Shared *");
        settings.put("sentinel.webhooks", "ops");
        settings.put("sentinel.webhook.ops.url", WIREMOCK.baseUrl() + "/hooks/ops");
        return settings;
    }

    @Test
    void excludedRegistrationsAreListedApartAndNeverFindings() throws Exception {
        WIREMOCK.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200)));
        cloudflare.page("acc-1", null, lastPage(List.of(
                registration("kiosk-1", LONG_AGO, null),
                registration("lab", "LAB-042", LONG_AGO, null),
                registration("lab-ish", "LAB-042 old", LONG_AGO, null),
                registration("svc-token", LONG_AGO, null),
                withPolicy(registration("shared", LONG_AGO, null), "Shared devices"),
                withPolicy(registration("plain", LONG_AGO, null), "Default"),
                registration("current", Instant.now().toString(), null))));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isTrue();
        WIREMOCK.verify(getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1"))).withQueryParam("include", equalTo("policy")));
        assertThat(readCsv(onlyReport("acc-1", ".csv"))).extracting(row -> row.get("registration_id"))
                .containsExactly("lab-ish", "plain");
        JsonNode report = readJson(onlyReport("acc-1", ".json"));
        List<String> excluded = new ArrayList<>();
        report.get("excluded").forEach(e -> excluded.add(e.get("registration_id").asText() + ": " + e.get("excluded_by").asText()));
        assertThat(excluded).containsExactly("kiosk-1: user-email KIOSK-*@example.com", "lab: device-name",
                "svc-token: registration-id", "shared: policy-name Shared *");
        assertThat(report.at("/summary/scanned").asLong()).isEqualTo(7);
        assertThat(report.at("/summary/stale").asLong()).isEqualTo(2);
        assertThat(report.at("/summary/excluded").asLong()).isEqualTo(4);
        assertThat(Files.readString(onlyReport("acc-1", ".html"))).contains("Excluded (sentinel.exclude.*)")
                .contains("2 findings in 7 registrations: 2 stale (4 excluded)");
        JsonNode alert = JSON.readTree(WIREMOCK.findAll(postRequestedFor(urlEqualTo("/hooks/ops"))).get(0).getBodyAsString());
        List<String> alerted = new ArrayList<>();
        alert.get("findings").forEach(f -> alerted.add(f.get("registration_id").asText()));
        assertThat(alerted).containsExactlyInAnyOrder("lab-ish", "plain");
    }
}
