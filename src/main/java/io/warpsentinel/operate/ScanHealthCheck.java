package io.warpsentinel.operate;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the service as its users see it: DOWN while the last scan of any account failed,
 * with each failed account and its reason in the details; UP again once that account scans
 * completely. Liveness is Camel's own: a failed scan does not mean the process should restart.
 */
public final class ScanHealthCheck extends AbstractHealthCheck {

    private final Map<String, String> lastFailure = new ConcurrentSkipListMap<>();
    private final Map<String, String> lastSuccess = new ConcurrentSkipListMap<>();

    public ScanHealthCheck() {
        super("warp-sentinel", "scans");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    public void succeeded(String accountId, String endedAt) {
        lastFailure.remove(accountId);
        lastSuccess.put(accountId, endedAt);
    }

    public void failed(String accountId, String reason) {
        lastFailure.put(accountId, reason);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        lastSuccess.forEach((account, endedAt) -> builder.detail("last.success." + account, endedAt));
        if (lastFailure.isEmpty()) {
            builder.message(lastSuccess.isEmpty() ? "No scan has run yet" : "The last scan of every account was complete");
            builder.up();
            return;
        }
        lastFailure.forEach((account, reason) -> builder.detail("failed." + account, reason));
        // The reasons go in the message too: /observe/health always shows the message.
        StringBuilder message = new StringBuilder("The last scan failed for");
        lastFailure.forEach((account, reason) -> message.append(" account ").append(account).append(": ").append(reason).append(';'));
        builder.message(message.substring(0, message.length() - 1));
        builder.down();
    }
}
