package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.scan.RunOnce;
import java.util.Properties;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * Run-once mode always ends, with an ERROR line and a non-zero status, whatever breaks: an Error
 * (out of memory, a stack overflow) inside one account's scan, or anything outside the accounts.
 */
class RunOnceEndsTest extends RunOnceTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("cloudflare.account-ids", "acc-1,acc-2");
        return settings;
    }

    @Test
    void anErrorInOneAccountFailsThatAccountAndTheNextIsStillScanned() throws Exception {
        cloudflare.page("acc-2", null, lastPage(registrations("r", 1, "2020-01-01T00:00:00Z")));
        AdviceWith.adviceWith(context, "scan-account", route -> route.weaveAddFirst().process(exchange -> {
            if ("acc-1".equals(exchange.getProperty(AccountScan.PROPERTY, AccountScan.class).getAccountId())) {
                throw new StackOverflowError("simulated: a stack overflow");
            }
        }));

        Ended run = runToTheEnd();

        assertThat(run.exitStatus()).isEqualTo(RunOnce.SCAN_FAILED);
        assertThat(run.logs()).contains("ERROR scan-all-accounts Scan of account acc-1 failed and wrote no report: StackOverflowError: simulated: a stack overflow")
                .contains("Run-once scan failed");
        assertThat(onlyReport("acc-2", ".json")).exists();
    }

    @Test
    void anErrorOutsideEveryAccountStillEndsTheRun() throws Exception {
        AdviceWith.adviceWith(context, "scan-all-accounts", route -> route.weaveAddFirst().process(exchange -> {
            throw new NoClassDefFoundError("simulated");
        }));

        Ended run = runToTheEnd();

        assertThat(run.exitStatus()).isEqualTo(RunOnce.SCAN_FAILED);
        assertThat(run.logs()).contains("ERROR io.warpsentinel.scan.RunOnce Run-once scan broke off: NoClassDefFoundError: simulated")
                .contains("Run-once scan failed before any account was scanned");
    }
}
