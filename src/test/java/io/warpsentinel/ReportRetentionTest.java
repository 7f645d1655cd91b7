package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.report.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** sentinel.report.keep: an account's reports of old runs go after its next complete scan; nothing else does. */
class ReportRetentionTest extends ScanRouteTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.report.keep", "P90D");
        settings.put("cloudflare.retry.max-retries", "0");
        return settings;
    }

    private Path report(String account, Duration age, String suffix) throws Exception {
        String name = "warp-sentinel-" + account + "-" + ReportFiles.stamp(Instant.now().minus(age)) + suffix;
        return Files.writeString(reportDir.resolve(name), "an old report");
    }

    @Test
    void reportsOlderThanKeepAreRemovedAfterACompleteScanOnly() throws Exception {
        Path old = report("acc-1", Duration.ofDays(91), ".csv");
        Path oldHtml = report("acc-1", Duration.ofDays(120), ".html");
        Path recent = report("acc-1", Duration.ofDays(89), ".json");
        Path otherAccount = report("acc-1-eu", Duration.ofDays(200), ".csv");
        Path notAReport = Files.writeString(reportDir.resolve("history.jsonl"), "{}");

        cloudflare.answer("acc-1", null, 500, CloudflareStub.error(10001, "Internal error"));
        assertThat(scan().isSuccessful()).isFalse();
        assertThat(old).as("a failed scan removes nothing").exists();

        WIREMOCK.resetMappings();
        cloudflare.page("acc-1", null, lastPage(registrations("r", 2, "2020-01-01T00:00:00Z")));
        assertThat(scan().isSuccessful()).isTrue();

        assertThat(old).doesNotExist();
        assertThat(oldHtml).doesNotExist();
        assertThat(recent).exists();
        assertThat(otherAccount).as("another account's, whose id starts alike").exists();
        assertThat(notAReport).exists();
        assertThat(reportFiles(".csv")).hasSize(2); // this run's and acc-1-eu's
    }
}
