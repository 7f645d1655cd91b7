package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ScheduledScanTest extends ScanRouteTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.schedule", "0/1 * * * * ?");
        settings.put("sentinel.time-zone", "Europe/Berlin");
        return settings;
    }

    @Test
    void theCronScheduleFiresScansThatWriteReports() {
        cloudflare.page("acc-1", null, lastPage(registrations("r", 2, "2020-01-01T00:00:00Z")));

        await("a scheduled scan writes a report").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(reportFiles(".json")).isNotEmpty());
        assertThat(context.getRouteController().getRouteStatus("scheduled-scan").isStarted()).isTrue();
        assertThat(context.getRoute("run-once")).as("the run-once route is not even created in scheduled mode").isNull();
    }
}
