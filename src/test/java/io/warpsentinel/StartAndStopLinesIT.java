package io.warpsentinel;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged jar says at the edges of its life, as an operator reads it: where health and
 * metrics answer, once they do, as URLs that answer; and, told to stop by SIGTERM as systemd and
 * Kubernetes do, one line that says so and whether a scan was cut short.
 */
class StartAndStopLinesIT {

    @RegisterExtension
    static final WireMockExtension CLOUDFLARE = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** The JVM's exit status when a SIGTERM ended it: 128 + 15. */
    private static final int STOPPED_BY_SIGTERM = 143;

    @TempDir
    Path workDir;

    private PackagedJar.Running start(String... settings) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-Dcloudflare.base-url=" + CLOUDFLARE.baseUrl() + "/client/v4",
                "-Dcloudflare.per-page=2"));
        arguments.addAll(List.of(settings));
        return PackagedJar.start(workDir, Map.of("CLOUDFLARE_API_TOKEN", CloudflareStub.TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc-1"),
                arguments.toArray(String[]::new));
    }

    private static long stopLines(String output) {
        return output.lines().filter(line -> line.contains("Stopping: told to stop")).count();
    }

    @Test
    void aServiceSaysWhereHealthAndMetricsAnswerAndThatSigtermStoppedItBetweenScans() throws Exception {
        // any free port, on every interface: the line has the port it got, and an address a browser opens
        PackagedJar.Running service = start("-Dcamel.management.port=0", "-Dsentinel.schedule=0 0 0 1 1 ? 2099");

        MatchResult where = service.awaitOutput(Pattern.compile(
                "Health and metrics on 0\\.0\\.0\\.0:(\\d+) \\(every interface\\): (http://localhost:(\\d+))(/\\S+), (\\S+), (\\S+), (\\S+)\\R"));
        assertThat(where.group(3)).isEqualTo(where.group(1));
        List<String> paths = List.of(where.group(4), where.group(5), where.group(6), where.group(7));
        assertThat(paths).containsExactly("/observe/health", "/observe/health/live", "/observe/health/ready", "/observe/metrics");
        HttpClient http = HttpClient.newHttpClient();
        for (String path : paths) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(where.group(2) + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET %s%s: %s", where.group(2), path, answer.body()).isEqualTo(200);
        }

        PackagedJar.Outcome stopped = service.stop();

        assertThat(stopped.output()).contains("INFO  WarpSentinel                 Stopping: told to stop (SIGTERM or Ctrl-C) while no scan was running");
        assertThat(stopLines(stopped.output())).as(stopped.output()).isEqualTo(1);
        assertThat(stopped.exitStatus()).as(stopped.output()).isEqualTo(STOPPED_BY_SIGTERM);
    }

    @Test
    void aRunOnceScanStoppedBySigtermSaysItMayBeAbandonedWritesNoReportAndExitsNonZero() throws Exception {
        // the first page is answered only after the test is over
        CLOUDFLARE.stubFor(CloudflareStub.pageRequest("acc-1", null)
                .willReturn(CloudflareStub.ok(CloudflareStub.lastPage(List.of())).withFixedDelay(120_000)));
        PackagedJar.Running run = start("-Dsentinel.once=true", "-Dcamel.main.shutdown-timeout=1");
        run.awaitOutput("Scan started");

        PackagedJar.Outcome stopped = run.stop();

        assertThat(stopped.output()).contains("WARN  WarpSentinel                 Stopping: told to stop (SIGTERM or Ctrl-C) during a scan, "
                + "which has 1 s (camel.main.shutdown-timeout) to finish; past that it is abandoned").doesNotContain("Run-once scan finished");
        assertThat(stopLines(stopped.output())).as(stopped.output()).isEqualTo(1);
        assertThat(stopped.exitStatus()).as(stopped.output()).isEqualTo(STOPPED_BY_SIGTERM);
        try (var files = Files.list(workDir.resolve("reports"))) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".csv") || name.endsWith(".json") || name.endsWith(".html"));
        }
    }
}
