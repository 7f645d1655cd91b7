package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.ScanRun;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AccountIsolationTest extends ScanRouteTestSupport {

    private static final String LONG_AGO = Instant.now().minus(90, ChronoUnit.DAYS).toString();

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("cloudflare.account-ids", "acc-1, acc-2 ,acc-3");
        return settings;
    }

    @Test
    void anAccountTheTokenCannotReadFailsAloneWithCloudflaresErrorAndAHint() throws Exception {
        cloudflare.page("acc-1", null, lastPage(registrations("a", 3, LONG_AGO)));
        cloudflare.answer("acc-2", null, 403, CloudflareStub.error(10000, "Authentication error"));
        cloudflare.page("acc-3", null, lastPage(registrations("c", 1, LONG_AGO)));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isFalse();
        assertThat(run.getFailures()).containsOnlyKeys("acc-2");
        assertThat(run.getFailures().get("acc-2"))
                .contains("HTTP 403", "acc-2", "Cloudflare error 10000 Authentication error", "Zero Trust Read")
                .doesNotContain(CloudflareStub.TOKEN);
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/stale").asLong()).isEqualTo(3);
        assertThat(readJson(onlyReport("acc-3", ".json")).at("/summary/stale").asLong()).isEqualTo(1);
        assertThat(allFiles()).as("acc-2 has no report at all").noneMatch(f -> f.toString().contains("acc-2"));
    }
}
