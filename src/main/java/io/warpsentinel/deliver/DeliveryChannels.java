package io.warpsentinel.deliver;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.state.AccountState;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * The channels an account's report goes to this run. The delivery route splits over them, so each
 * channel works on its own copy of the message: one that fails after its retries (and is taken
 * by the dead-letter route) cannot stop the others.
 */
public final class DeliveryChannels {

    private final EmailMessages email;
    private final Webhooks webhooks;
    private final ScanMetrics metrics;

    public DeliveryChannels(EmailMessages email, Webhooks webhooks, ScanMetrics metrics) {
        this.email = email;
        this.webhooks = webhooks;
        this.metrics = metrics;
    }

    public List<DeliveryChannel> forReport(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        ReportSummary report = scan.get(ReportSummary.class);
        List<DeliveryChannel> channels = new ArrayList<>();
        if (email.wanted(report)) {
            channels.add(email);
        }
        channels.addAll(webhooks.targets(report));
        return channels;
    }

    /** A channel delivered the report: counted, and the account's due findings get closer to being marked alerted. */
    public void delivered(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("channel") String channel) {
        metrics.delivery(scan.getAccountId(), channel, true);
        scan.get(AccountState.class).channelDelivered();
    }
}
