package io.warpsentinel.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.secrets.FailureText;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Keeps what a channel could not deliver after its last retry: the message body as it was to be
 * sent, and beside it why and where it failed. Headers are not kept (they may carry credentials),
 * but for an e-mail's recipients. The dead-letter route also counts the failure against the
 * run, so a run-once scan exits non-zero.
 */
public final class DeadLetters {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final FailureText failureText;
    private final ScanMetrics metrics;
    private final PrivateFiles files;
    private final Clock clock;

    public DeadLetters(Path directory, FailureText failureText, ScanMetrics metrics, PrivateFiles files, Clock clock) {
        this.directory = directory;
        this.failureText = failureText;
        this.metrics = metrics;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Writes the dead letter and returns the failure as the line to log. Never fails itself: a
     * dead-letter folder that cannot be written is said in that line (Camel's fallback would log
     * the message's endpoint, a webhook URL, instead).
     */
    public String keep(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty("channel") String channel,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
                       @ExchangeProperty("webhookRequest") Webhooks.WebhookRequest webhookRequest, Exchange exchange) {
        ReportSummary report = scan.get(ReportSummary.class);
        String reason = failureText.describe(cause);
        metrics.delivery(report.accountId(), channel, false);
        // a webhook's message is the request it was to send (the failed exchange holds the answer)
        Object body = webhookRequest != null ? webhookRequest.body() : exchange.getMessage().getBody();
        try {
            return reason + " (kept in " + write(report, channel, reason, body, exchange) + ")";
        } catch (IOException | RuntimeException e) {
            return reason + " (and it could not be kept in " + directory.toAbsolutePath() + " (sentinel.dead-letter.dir): "
                    + failureText.describe(e) + ")";
        }
    }

    private Path write(ReportSummary report, String channel, String reason, Object body, Exchange exchange) throws IOException {
        String name = STAMP.format(clock.instant()) + "-" + report.accountId() + "-" + channel.replaceAll("[^A-Za-z0-9_-]+", "-");
        for (int attempt = 1; ; attempt++) {
            String unique = attempt == 1 ? name : name + "-" + attempt;
            try {
                return write(report, channel, reason, body, exchange, unique);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    private Path write(ReportSummary report, String channel, String reason, Object body, Exchange exchange, String name)
            throws IOException {
        Path bodyFile = directory.resolve(name + ".body");
        if (body instanceof File file) {
            try (OutputStream out = files.newOutputStream(bodyFile)) {
                Files.copy(file.toPath(), out);
            }
        } else if (body instanceof byte[] bytes) {
            files.writeString(bodyFile, failureText.redact(new String(bytes, StandardCharsets.UTF_8)));
        } else {
            String text = body instanceof String string ? string : exchange.getContext().getTypeConverter().convertTo(String.class, exchange, body);
            files.writeString(bodyFile, failureText.redact(text));
        }
        ObjectNode meta = JSON.createObjectNode();
        meta.put("channel", channel);
        // an e-mail's recipients (not a credential), so it can be sent again by hand
        String to = exchange.getMessage().getHeader("To", String.class);
        if (to != null) {
            meta.put("to", to);
        }
        meta.put("account_id", report.accountId());
        meta.put("failed_at", clock.instant().toString());
        meta.put("reason", reason);
        meta.put("body_file", bodyFile.getFileName().toString());
        meta.put("report_csv", report.csvFile().toString());
        meta.put("report_json", report.jsonFile().toString());
        try (OutputStream out = files.newOutputStream(directory.resolve(name + ".json"))) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, meta);
        }
        return bodyFile;
    }
}
