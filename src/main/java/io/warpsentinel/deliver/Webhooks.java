package io.warpsentinel.deliver;

import io.warpsentinel.report.AccountReport;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** What the webhook route calls: which targets get this report, what they are sent, and the request's headers. */
public final class Webhooks {

    private final List<WebhookTarget> targets;
    private final Clock clock;

    public Webhooks(List<WebhookTarget> targets, Clock clock) {
        this.targets = List.copyOf(targets);
        this.clock = clock;
    }

    public List<WebhookTarget> targets(AccountReport report) {
        if (!report.isAlertWanted()) {
            return List.of();
        }
        return targets.stream().filter(target -> !target.onlyWithFindings() || report.getFindings() > 0).toList();
    }

    /** The body: a message in the target's format, or the whole JSON report file (streamed, never loaded). */
    public Object payload(@ExchangeProperty("webhook") WebhookTarget target, @ExchangeProperty("report") AccountReport report) {
        if (target.findingsLimit() == WebhookTarget.WHOLE_REPORT) {
            return report.jsonPath().toFile();
        }
        return WebhookPayloads.render(target, report);
    }

    /** POST as JSON, the target's own headers, and the signature headers when it has a secret. */
    public void prepareRequest(@ExchangeProperty("webhook") WebhookTarget target, Exchange exchange) {
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        target.headers().forEach(message::setHeader);
        if (target.signed()) {
            long timestamp = clock.instant().getEpochSecond();
            Object body = message.getBody();
            String signature = body instanceof java.io.File file
                    ? WebhookSignature.sign(target.secret(), timestamp, file.toPath())
                    : WebhookSignature.sign(target.secret(), timestamp, message.getBody(String.class));
            message.setHeader(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp));
            message.setHeader(WebhookSignature.SIGNATURE_HEADER, signature);
        }
    }
}
