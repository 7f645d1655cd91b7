package io.warpsentinel.deliver;

import io.warpsentinel.report.AccountReport;
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

    public DeliveryChannels(EmailMessages email, Webhooks webhooks) {
        this.email = email;
        this.webhooks = webhooks;
    }

    public List<DeliveryChannel> forReport(@ExchangeProperty("report") AccountReport report) {
        List<DeliveryChannel> channels = new ArrayList<>();
        if (email.wanted(report)) {
            channels.add(email);
        }
        channels.addAll(webhooks.targets(report));
        return channels;
    }
}
