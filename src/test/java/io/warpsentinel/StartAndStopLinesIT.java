package io.warpsentinel;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * metrics answer, once they do, as URLs that answer.
 */
class StartAndStopLinesIT {

    @RegisterExtension
    static final WireMockExtension CLOUDFLARE = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workDir;

    private PackagedJar.Running start(String... settings) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-Dcloudflare.base-url=" + CLOUDFLARE.baseUrl() + "/client/v4",
                "-Dcloudflare.per-page=2"));
        arguments.addAll(List.of(settings));
        return PackagedJar.start(workDir, Map.of("CLOUDFLARE_API_TOKEN", CloudflareStub.TOKEN, "CLOUDFLARE_ACCOUNT_ID", "acc-1"),
                arguments.toArray(String[]::new));
    }

    @Test
    void aServiceSaysWhereHealthAndMetricsAnswer() throws Exception {
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

        service.stop();
    }
}
