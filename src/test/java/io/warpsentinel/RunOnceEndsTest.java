package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warpsentinel.scan.RunOnce;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * Run-once mode always ends, with an ERROR line and a non-zero status, whatever breaks: an Error
 * (out of memory, a stack overflow) inside one account's scan, or anything outside the accounts.
 */
class RunOnceEndsTest extends ScanRouteTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.once", "true");
        settings.put("cloudflare.account-ids", "acc-1,acc-2");
        return settings;
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    private int runAndWaitForTheEnd() throws Exception {
        RunOnce runOnce = context.getRegistry().findSingleByType(RunOnce.class);
        context.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> context.getStatus() == ServiceStatus.Stopped);
        return runOnce.exitStatus(0);
    }

    @Test
    void anErrorInOneAccountFailsThatAccountAndTheNextIsStillScanned() throws Exception {
        cloudflare.page("acc-2", null, lastPage(registrations("r", 1, "2020-01-01T00:00:00Z")));
        AdviceWith.adviceWith(context, "scan-account", route -> route.weaveAddFirst().process(exchange -> {
            if ("acc-1".equals(exchange.getProperty("accountId"))) {
                throw new StackOverflowError("simulated: a stack overflow");
            }
        }));

        String logs;
        int status;
        try (CapturedLogs captured = new CapturedLogs()) {
            status = runAndWaitForTheEnd();
            logs = captured.text();
        }

        assertThat(status).isEqualTo(RunOnce.SCAN_FAILED);
        assertThat(logs).contains("ERROR scan-all-accounts Scan of account acc-1 failed and wrote no report: StackOverflowError: simulated: a stack overflow")
                .contains("Run-once scan failed");
        assertThat(onlyReport("acc-2", ".json")).exists();
    }

    @Test
    void anErrorOutsideEveryAccountStillEndsTheRun() throws Exception {
        AdviceWith.adviceWith(context, "scan-all-accounts", route -> route.weaveAddFirst().process(exchange -> {
            throw new NoClassDefFoundError("simulated");
        }));

        String logs;
        int status;
        try (CapturedLogs captured = new CapturedLogs()) {
            status = runAndWaitForTheEnd();
            logs = captured.text();
        }

        assertThat(status).isEqualTo(RunOnce.SCAN_FAILED);
        assertThat(logs).contains("ERROR io.warpsentinel.scan.RunOnce Run-once scan broke off: NoClassDefFoundError: simulated")
                .contains("Run-once scan failed before any account was scanned");
    }
}
