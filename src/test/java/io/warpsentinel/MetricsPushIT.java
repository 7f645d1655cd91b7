package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.operate.MetricsPush;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a CronJob or a timer runs it, pushing to a real Pushgateway that asks for
 * basic auth: what only a process shows (the push made before it exits, its exit status, the
 * credentials nowhere in what it prints, at DEBUG too).
 */
class MetricsPushIT {

    private static Pushgateway gateway;

    @TempDir
    Path workDir;

    @BeforeAll
    static void startPushgateway() throws Exception {
        gateway = Pushgateway.start();
    }

    @AfterAll
    static void stopPushgateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private PackagedJar.Outcome runDemo(String pushUrl, String instance) throws Exception {
        return PackagedJar.run(workDir, Map.of("SENTINEL_METRICS_PUSH_URL", pushUrl, "SENTINEL_METRICS_PUSH_INSTANCE", instance,
                "LOG_LEVEL", "DEBUG", "LOG_CAMEL", "DEBUG"), "-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + PackagedJar.freePort());
    }

    @Test
    void aRunOnceProcessPushesEveryAccountsMetricsBeforeItExitsAndPrintsNoCredential() throws Exception {
        PackagedJar.Outcome outcome = runDemo(gateway.pushUrl(), "it-cronjob");

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(gateway.group(MetricsPush.JOB, "it-cronjob"))
                .anyMatch(line -> line.startsWith("warp_sentinel_last_scan_complete{account=\"demo-acme-hq\",instance=\"it-cronjob\",job=\"warp-sentinel\"} 1"))
                .anyMatch(line -> line.startsWith("warp_sentinel_last_scan_complete{account=\"demo-acme-labs\",instance=\"it-cronjob\",job=\"warp-sentinel\"} 1"))
                .noneMatch(line -> line.startsWith("jvm_") || line.startsWith("camel_"));
        assertThat(outcome.output()).as("DEBUG is on").contains("DEBUG")
                .contains("Metrics pushed to the Pushgateway at 127.0.0.1:" + gateway.port())
                .doesNotContain(Pushgateway.PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString((Pushgateway.USER + ":" + Pushgateway.PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPushgatewayThatIsNotThereIsOneWarnAndTheProcessStillExitsWithTheRunsStatus() throws Exception {
        PackagedJar.Outcome outcome = runDemo(Pushgateway.pushUrl(PackagedJar.freePort()), "it-nowhere");

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(outcome.output().lines().filter(line -> line.contains(" WARN ")).toList()).singleElement().asString()
                .contains("The run's metrics were not pushed to the Pushgateway at 127.0.0.1:");
        assertThat(outcome.output()).contains("Run-once scan finished").doesNotContain(Pushgateway.PASSWORD);
    }

    @Test
    void aPushUrlOrInstanceThatCannotWorkStopsTheStartNamingTheSettingButNeverTheUrl() throws Exception {
        PackagedJar.Outcome url = runDemo("ftp://" + Pushgateway.USER + ":" + Pushgateway.PASSWORD + "@127.0.0.1:9091", "it-cronjob");

        assertThat(url.exitStatus()).as(url.output()).isEqualTo(2);
        assertThat(url.output()).contains("sentinel.metrics.push-url must be an http:// or https:// URL, or empty, not what is set (a secret, not shown)")
                .doesNotContain(Pushgateway.PASSWORD).doesNotContain("Scan started");

        PackagedJar.Outcome instance = runDemo(gateway.pushUrl(), "it/cronjob");

        assertThat(instance.exitStatus()).as(instance.output()).isEqualTo(2);
        assertThat(instance.output()).contains("sentinel.metrics.push-instance must be letters, digits, '.', '_', ':' and '-', or empty, not 'it/cronjob'");
    }
}
