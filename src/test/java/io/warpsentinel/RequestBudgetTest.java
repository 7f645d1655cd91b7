package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registrations;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.warpsentinel.finding.ScanRun;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The limits a scan keeps to on its own: a request rate shared by all accounts, and a deadline per account. */
class RequestBudgetTest extends ScanRouteTestSupport {

    private static final String SEEN = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("cloudflare.account-ids", "acc-1,acc-2");
        settings.put("cloudflare.rate-limit.requests", "2");
        settings.put("cloudflare.rate-limit.period", "1000");
        settings.put("sentinel.scan-timeout", "PT3S");
        if (String.valueOf(getCurrentTestName()).contains("PastTheDeadline")) {
            settings.put("cloudflare.account-ids", "acc-1");
            settings.put("cloudflare.rate-limit.requests", "1");
            settings.put("cloudflare.rate-limit.period", "60000");
        }
        return settings;
    }

    @Test
    void requestsOfAllAccountsShareOneRateLimit() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 2, SEEN)));
        cloudflare.page("acc-1", "p2", lastPage(registrations("b", 1, SEEN)));
        cloudflare.page("acc-2", null, withCursor("p2", registrations("c", 2, SEEN)));
        cloudflare.page("acc-2", "p2", lastPage(registrations("d", 1, SEEN)));

        long start = System.currentTimeMillis();
        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        List<Long> times = WIREMOCK.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .map(r -> r.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
        assertThat(times).hasSize(4);
        // 2 requests per second: the 3rd (acc-2's first) and the 4th wait until a second after
        // the first two were let through, which was after start. (Unpaced, all four take ~0.1 s.)
        assertThat(times.get(2) - start).isGreaterThanOrEqualTo(1000);
        assertThat(times.get(3) - start).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aPlaceInTheBudgetPastTheDeadlineIsNotWaitedFor() throws Exception {
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 2, SEEN)));
        cloudflare.page("acc-1", "p2", lastPage(registrations("b", 1, SEEN)));

        long start = System.nanoTime();
        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("sentinel.scan-timeout (PT3S)", "s for a place in "
                + "cloudflare.rate-limit.requests (1 per PT1M)");
        assertThat(WIREMOCK.getAllServeEvents()).hasSize(1);
        assertThat(System.nanoTime() - start).as("failed at once, not at the deadline").isLessThan(2_000_000_000L);
    }

    @Test
    void anAccountWhoseScanOutlivesItsDeadlineFailsAndTheNextStillRuns() throws Exception {
        cloudflare.sequence("acc-1", null, ok(withCursor("p2", registrations("a", 2, SEEN))).withFixedDelay(3500));
        cloudflare.page("acc-1", "p2", lastPage(registrations("b", 1, SEEN)));
        cloudflare.page("acc-2", null, lastPage(registrations("c", 1, SEEN)));

        ScanRun run = scan();

        assertThat(run.getFailures()).containsOnlyKeys("acc-1");
        // the deadline holds during the slow answer too: it is cut at 3 s, not read to its end
        assertThat(run.getFailures().get("acc-1")).contains("sentinel.scan-timeout (PT3S)", "after 0 pages");
        assertThat(readJson(onlyReport("acc-2", ".json")).at("/summary/scanned").asInt()).isEqualTo(1);
    }
}
