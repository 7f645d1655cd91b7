package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    @Test
    void aScanLongerThanThePeriodIsFollowedByTheScheduleNotByTheFiringsItMissed() {
        // one page per scan: the first answered after 5 s (five firings come due meanwhile), the others at once
        String page = lastPage(registrations("r", 2, "2020-01-01T00:00:00Z"));
        cloudflare.sequence("acc-1", null, ok(page).withFixedDelay(5000), ok(page));

        Instant slowAsked = await("the slow scan").atMost(Duration.ofSeconds(20)).until(() -> pageRequests().stream()
                .filter(event -> Scenario.STARTED.equals(event.getStubMapping().getRequiredScenarioState()))
                .map(event -> event.getRequest().getLoggedDate().toInstant()).findFirst().orElse(null), asked -> asked != null);
        Instant watchedUntil = slowAsked.plusSeconds(5 + 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(watchedUntil.plusMillis(500)));

        List<Instant> scansAfter = pageRequests().stream().map(event -> event.getRequest().getLoggedDate().toInstant())
                .filter(asked -> asked.isAfter(slowAsked) && !asked.isAfter(watchedUntil)).sorted().toList();
        // the schedule's firings in the 3 s after the slow scan, one of them maybe a little late; a burst would add the 5 missed
        assertThat(scansAfter).as("scans started in the 3 s after a 5 s scan on a 1 s schedule").hasSizeBetween(2, 4);
    }

    private List<ServeEvent> pageRequests() {
        return WIREMOCK.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(CloudflareStub.path("acc-1"))).toList();
    }
}
