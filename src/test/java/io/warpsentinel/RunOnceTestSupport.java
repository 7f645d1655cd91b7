package io.warpsentinel;

import static org.awaitility.Awaitility.await;

import io.warpsentinel.scan.RunOnce;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.ServiceStatus;

/**
 * The real routes in run-once mode: a test prepares the outside world (and advices, if any),
 * then {@link #runToTheEnd} starts Camel, whose run-once timer fires at once, and waits until
 * the run has stopped it, as the process would before exiting.
 */
abstract class RunOnceTestSupport extends ScanRouteTestSupport {

    record Ended(int exitStatus, String logs) { }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.once", "true");
        return settings;
    }

    // the context starts only when the test says so, after its stubs and advices
    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** Starts the context and waits until the run has stopped Camel: its exit status, and everything logged meanwhile. */
    Ended runToTheEnd() throws Exception {
        RunOnce runOnce = context.getRegistry().findSingleByType(RunOnce.class);
        try (CapturedLogs captured = new CapturedLogs()) {
            context.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> context.getStatus() == ServiceStatus.Stopped);
            return new Ended(runOnce.exitStatus(0), captured.text());
        }
    }
}
