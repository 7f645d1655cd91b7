package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.cluster.ClusterSettings;
import io.warpsentinel.operate.MetricsPush;
import io.warpsentinel.scan.RunOnce;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run-once scan hands its warp_sentinel_* metrics to a real Pushgateway at its end, a failed
 * run's too, replacing what the run before pushed; a push that fails is one WARN and leaves the
 * exit status the run's. The Pushgateway asks for basic auth, given in the URL; it is reached
 * through a loopback relay that a test can silence.
 */
class MetricsPushTest extends RunOnceTestSupport {

    private static Pushgateway gateway;
    private static LoopbackProxy relay;
    private static final String HOST = ClusterSettings.localHostName();

    @BeforeAll
    static void startPushgateway() throws Exception {
        gateway = Pushgateway.start();
        relay = new LoopbackProxy("127.0.0.1", gateway.port());
    }

    @AfterAll
    static void stopPushgateway() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void relayEverything() {
        relay.restore();
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.metrics.push-url", Pushgateway.pushUrl(relay.port()));
        settings.put("sentinel.metrics.push-timeout", "PT1S");
        return settings;
    }

    private List<String> pushed() throws Exception {
        return gateway.group(MetricsPush.JOB, HOST);
    }

    private static String sample(String name, String labels) {
        return name + "{" + labels + ",instance=\"" + HOST + "\",job=\"warp-sentinel\"";
    }

    private void twoStaleOfThree() {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a", "2020-01-01T00:00:00Z", null),
                registration("b", "2021-01-01T00:00:00Z", null), registration("c", Instant.now().toString(), null))));
    }

    @Test
    void theRunsOwnMetricsReplaceTheGroupOfTheRunBeforeUnderJobWarpSentinelAndThisHostsName() throws Exception {
        // what the run before pushed for an account that is no longer configured
        gateway.put(MetricsPush.JOB, HOST, "# TYPE warp_sentinel_last_scan_complete gauge\n"
                + "warp_sentinel_last_scan_complete{account=\"removed\"} 1\n");
        twoStaleOfThree();

        Ended run = runToTheEnd();

        assertThat(run.exitStatus()).as(run.logs()).isZero();
        assertThat(pushed()).as("the group of job warp-sentinel, instance %s", HOST)
                .anyMatch(line -> line.startsWith(sample("warp_sentinel_last_scan_complete", "account=\"acc-1\"") + "} 1"))
                .anyMatch(line -> line.startsWith(sample("warp_sentinel_registrations", "account=\"acc-1\"") + ",reason=\"stale\"} 2"))
                .anyMatch(line -> line.startsWith(sample("warp_sentinel_api_requests_total", "account=\"acc-1\"") + ",status=\"200\"} 1"))
                .anyMatch(line -> line.startsWith(sample("warp_sentinel_scan_duration_seconds_count", "account=\"acc-1\"") + ",outcome=\"complete\"} 1"))
                .as("PUT replaced the group: the removed account's series is gone").noneMatch(line -> line.contains("account=\"removed\""))
                .as("only the project's meters, and the Pushgateway's own push times")
                .allMatch(line -> line.startsWith("warp_sentinel_") || line.startsWith("push_time_seconds")
                        || line.startsWith("push_failure_time_seconds"));
        assertThat(run.logs()).contains("Metrics pushed to the Pushgateway at 127.0.0.1:" + relay.port() + " (job warp-sentinel, instance " + HOST + ")")
                .doesNotContain(Pushgateway.PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString((Pushgateway.USER + ":" + Pushgateway.PASSWORD).getBytes()));
    }

    @Test
    void aFailedRunIsPushedTooWithItsScanIncompleteAndStillExitsNonZero() throws Exception {
        cloudflare.answer("acc-1", null, 403, CloudflareStub.error(10000, "Authentication error"));

        Ended run = runToTheEnd();

        assertThat(run.exitStatus()).isEqualTo(RunOnce.SCAN_FAILED);
        assertThat(pushed()).anyMatch(line -> line.startsWith(sample("warp_sentinel_last_scan_complete", "account=\"acc-1\"") + "} 0"))
                .anyMatch(line -> line.startsWith(sample("warp_sentinel_last_success_timestamp_seconds", "account=\"acc-1\"") + "} 0"));
    }

    @Test
    void aPushgatewayThatNeverAnswersIsGivenUpAtTheTimeoutWithOneWarnAndTheRunsExitStatus() throws Exception {
        twoStaleOfThree();
        relay.cut();

        long started = System.nanoTime();
        Ended run = runToTheEnd();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("sentinel.metrics.push-timeout PT1S, not the HTTP timeouts of a minute")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(run.exitStatus()).as(run.logs()).isZero();
        assertThat(run.logs().lines().filter(line -> line.startsWith("WARN ")).toList()).singleElement().asString()
                .startsWith("WARN io.warpsentinel.operate.MetricsPush The run's metrics were not pushed to the Pushgateway at 127.0.0.1:"
                        + relay.port() + " (the exit status stays the run's): ");
        assertThat(run.logs()).contains("Run-once scan finished").doesNotContain(Pushgateway.PASSWORD);
    }

    @Test
    void aPushThePushgatewayRefusesIsOneWarnSayingWhy() throws Exception {
        // another client's metric of the same name and another type: the Pushgateway refuses ours
        gateway.delete(MetricsPush.JOB, HOST);
        gateway.put("other", "elsewhere", "# TYPE warp_sentinel_last_scan_complete counter\nwarp_sentinel_last_scan_complete 1\n");
        try {
            twoStaleOfThree();

            Ended run = runToTheEnd();

            assertThat(run.exitStatus()).as(run.logs()).isZero();
            assertThat(run.logs().lines().filter(line -> line.startsWith("WARN ")).toList()).singleElement().asString()
                    .contains("The run's metrics were not pushed to the Pushgateway at 127.0.0.1:" + relay.port())
                    .contains("the Pushgateway answered HTTP 400: ");
        } finally {
            gateway.delete("other", "elsewhere");
        }
    }
}
