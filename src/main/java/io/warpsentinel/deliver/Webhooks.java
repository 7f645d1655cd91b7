package io.warpsentinel.deliver;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.report.ReportSummary;
import java.io.File;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * What the webhook routes call: which targets get this report, the message each is sent (plain
 * data the route marshals to JSON, or the JSON report file itself), its signature, and the
 * request's headers.
 */
public final class Webhooks {

    private final List<WebhookTarget> targets;
    private final Clock clock;

    public Webhooks(List<WebhookTarget> targets, Clock clock) {
        this.targets = List.copyOf(targets);
        this.clock = clock;
    }

    public List<WebhookTarget> targets(ReportSummary report) {
        if (!report.alertWanted()) {
            return List.of();
        }
        return targets.stream().filter(target -> !target.onlyWithFindings() || report.findings() > 0).toList();
    }

    /** The message in the target's format, as plain data: the route marshals it to JSON. */
    public Map<String, Object> message(@ExchangeProperty("webhook") WebhookTarget target, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return WebhookPayloads.message(target, scan.get(ReportSummary.class));
    }

    /** The whole JSON report, sent from its file (streamed, never loaded). */
    public File wholeReport(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return scan.get(ReportSummary.class).jsonFile().toFile();
    }

    /**
     * What one report sends to one target, signed once: every retry sends the same body with the
     * same timestamp and signature, so a receiver can drop duplicates.
     *
     * @param body the JSON bytes, or the JSON report's file
     */
    public record WebhookRequest(Object body, long timestamp, String signature) {
    }

    public WebhookRequest sign(@ExchangeProperty("webhook") WebhookTarget target, Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof File)) {
            body = exchange.getMessage().getBody(byte[].class);
        }
        if (!target.signed()) {
            return new WebhookRequest(body, 0, null);
        }
        long timestamp = clock.instant().getEpochSecond();
        String signature = body instanceof File file ? WebhookSignature.sign(target.secret(), timestamp, file.toPath())
                : WebhookSignature.sign(target.secret(), timestamp, (byte[]) body);
        return new WebhookRequest(body, timestamp, signature);
    }

    /**
     * One attempt's message: the request's body, POST as JSON to the target's URL, the target's
     * own headers and the signature headers. The URL goes in the CamelHttpUri header, never in
     * an endpoint URI: Camel would keep it in its endpoint registry, and rewrite and print it,
     * and webhook URLs often hold a credential.
     */
    public void prepareRequest(@ExchangeProperty("webhook") WebhookTarget target, @ExchangeProperty("webhookRequest") WebhookRequest request,
                               Exchange exchange) {
        var message = exchange.getMessage();
        message.setBody(request.body());
        message.setHeader(Exchange.HTTP_URI, target.url());
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        target.headers().forEach(message::setHeader);
        if (request.signature() != null) {
            message.setHeader(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(request.timestamp()));
            message.setHeader(WebhookSignature.SIGNATURE_HEADER, request.signature());
        }
    }

    /** A target that did not answer 2xx failed the delivery (retried, then a dead letter); named, never by its URL. */
    public void checkAnswer(@ExchangeProperty("webhook") WebhookTarget target, @Header(Exchange.HTTP_RESPONSE_CODE) Integer status) {
        if (status == null || status / 100 != 2) {
            throw new WebhookRejectedException(target.channel() + " answered HTTP " + status);
        }
    }

    /** A webhook receiver's answer other than 2xx. */
    public static final class WebhookRejectedException extends RuntimeException {
        WebhookRejectedException(String message) {
            super(message);
        }
    }
}
