package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a bad day, as a process: an audit file that stops being writable in the
 * middle of remediation, and an API that answers "Retry-After: 0" for ever. It must fail closed:
 * no write without its audit line, no storm, an end within the scan's deadline, exit status 1.
 */
class FailClosedIT {

    private static final String TOKEN = "it-token-not-a-secret-0123456789";
    private static final String WRITE_TOKEN = "it-write-token-not-a-secret-97531";
    private static final RequestHook HOOK = new RequestHook();

    @RegisterExtension
    static final WireMockExtension CLOUDFLARE = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().extensions(HOOK))
            .build();

    @TempDir
    Path workDir;

    private String baseUrl() {
        return "-Dcloudflare.base-url=" + CLOUDFLARE.baseUrl() + "/client/v4";
    }

    @Test
    void anAuditFileReplacedByAFolderAtTheFirstWriteLetsNoOtherWriteGoOutAndFailsTheRun() throws Exception {
        String path = CloudflareStub.path("acc");
        List<String> fleet = IntStream.rangeClosed(1, 150)
                .mapToObj(i -> CloudflareStub.registration(String.format("s%03d", i), "2020-01-01T00:00:00Z", null)).toList();
        CLOUDFLARE.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(CloudflareStub.lastPage(fleet))));
        for (int i = 0; i < fleet.size(); i++) {
            CLOUDFLARE.stubFor(get(urlPathEqualTo(path + "/" + String.format("s%03d", i + 1))).willReturn(aResponse().withStatus(200)
                    .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + fleet.get(i) + "}")));
        }
        CLOUDFLARE.stubFor(post(urlPathEqualTo(path + "/revoke")).willReturn(aResponse().withStatus(200)
                .withBody("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":null}")));
        Path audit = workDir.resolve("reports/actions.jsonl");
        List<String> onDisk = new ArrayList<>();
        HOOK.once(request -> request.getMethod().getName().equals("POST"), request -> {
            try {
                onDisk.addAll(Files.readAllLines(audit));
                Files.delete(audit);
                Files.createDirectory(audit);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc",
                        "CLOUDFLARE_API_WRITE_TOKEN", WRITE_TOKEN),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.remediate.action=revoke", "-Dsentinel.remediate.dry-run=false",
                "-Dsentinel.remediate.min-open=PT0S", "-Dsentinel.remediate.halt-above=1", "-Dsentinel.remediate.max-per-run=150");

        assertThat(onDisk).as("100 pending lines on disk before the first write went out").hasSize(100)
                .allSatisfy(line -> assertThat(line).contains("\"outcome\":\"pending\""));
        assertThat(CLOUDFLARE.findAll(postRequestedFor(anyUrl()))).as("the write in flight, and none after it or again").hasSize(1);
        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).contains("ERROR", "remediation (revoke) stopped at the audit file " + audit.toAbsolutePath())
                .contains("not in the audit file " + audit.toAbsolutePath() + ": s001 revoke done")
                .contains("Run-once scan failed").doesNotContain(TOKEN).doesNotContain(WRITE_TOKEN);
    }

    @Test
    void aRetryAfterOfZeroForEverIsWaitedASecondAtLeastAndTheScanTimeoutEndsTheRun() throws Exception {
        CLOUDFLARE.stubFor(get(urlPathEqualTo(CloudflareStub.path("acc"))).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "0").withBody(CloudflareStub.error(971, "Please wait and consider throttling your request speed"))));

        long start = System.nanoTime();
        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc"),
                "-Dsentinel.once=true", baseUrl(), "-Dsentinel.scan-timeout=PT8S");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output()).contains("ERROR", "Scan of account acc failed", "sentinel.scan-timeout (PT8S)")
                .contains("Run-once scan failed");
        int requests = CLOUDFLARE.findAll(getRequestedFor(anyUrl())).size();
        // waits of 1, 2, 4 s (the backoff grows, Retry-After: 0 never shortens it) fit in 8 s; the next would pass it
        assertThat(requests).as("no storm: the backoff between attempts").isBetween(3, 5);
        assertThat(seconds).as("the start, then at most the 8 s deadline").isLessThan(25);
    }
}
