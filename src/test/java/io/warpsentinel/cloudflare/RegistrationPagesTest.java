package io.warpsentinel.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class RegistrationPagesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);
    private final RegistrationPages pages = new RegistrationPages(new CloudflareSettings("http://127.0.0.1/client/v4",
            "a-test-token-0123456789", java.util.List.of("acc-1"), 1000, 10, Duration.ofMinutes(10), Duration.ofHours(2),
            Duration.ofSeconds(30), new CloudflareSettings.Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(30)),
            new CloudflareSettings.Budget(1000, Duration.ofMinutes(5))), new CloudflareUrls("http://127.0.0.1/client/v4"), false, new FailureText(Secrets.global()), new ScanMetrics(new DefaultCamelContext()), clock);

    @Test
    void retryAfterComesInSecondsOrAsAnHttpDate() {
        assertThat(pages.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(pages.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
        assertThat(pages.retryAfter("Fri, 27 Nov 2026 06:02:30 GMT")).isEqualTo(Duration.ofSeconds(150));
        assertThat(pages.retryAfter("Fri, 27 Nov 2026 05:59:00 GMT")).as("a date in the past").isEqualTo(Duration.ZERO);
    }

    @Test
    void withoutAUsableRetryAfterItWaitsAMinute() {
        assertThat(pages.retryAfter(null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(pages.retryAfter("soon")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theCursorIsUrlEncodedAndTheFiltersRepeatOnEveryPage() {
        AccountScan scan = new AccountScan(new ScanRun(clock.instant(), "P30D", clock.instant()), "acc-1");
        PageWalk walk = pages.walk(scan);
        assertThat(pages.nextRequest(scan).url()).isEqualTo("http://127.0.0.1/client/v4/accounts/acc-1/devices/registrations?status=all&per_page=1000");
        assertThat(walk.nextQuery()).isEqualTo("status=all&per_page=1000");
        walk.advance(new RegistrationsPageParser(new FailureText(Secrets.global())).parse("acc-1", 200, new java.io.ByteArrayInputStream(
                "{\"success\":true,\"result\":[{\"id\":\"r1\"}],\"result_info\":{\"cursor\":\"a+b/c==\"}}".getBytes())));
        assertThat(walk.nextQuery()).isEqualTo("status=all&per_page=1000&cursor=a%2Bb%2Fc%3D%3D");
        assertThat(walk.getDeadline()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
    }
}
