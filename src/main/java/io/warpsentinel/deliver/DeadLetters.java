package io.warpsentinel.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.report.AccountReport;
import io.warpsentinel.scan.FailureText;
import io.warpsentinel.scan.ScanRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Keeps what a channel could not deliver after its last retry: the message body as it was to be
 * sent, and beside it why and where it failed. Headers are not kept (they may carry credentials),
 * but for an e-mail's recipients.
 * The failure counts against the run, so a run-once scan exits non-zero.
 */
public final class DeadLetters {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final FailureText failureText;
    private final ScanMetrics metrics;
    private final Clock clock;

    public DeadLetters(Path directory, FailureText failureText, ScanMetrics metrics, Clock clock) {
        this.directory = directory;
        this.failureText = failureText;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Writes the dead letter and returns the failure as the line to log. */
    public String keep(@ExchangeProperty("run") ScanRun run, @ExchangeProperty("report") AccountReport report,
                       @ExchangeProperty("channel") String channel, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
                       Exchange exchange) throws IOException {
        String reason = failureText.describe(cause);
        run.deliveryFailed(report.getAccountId(), channel, reason);
        metrics.delivery(report.getAccountId(), channel, false);
        Files.createDirectories(directory);
        String name = STAMP.format(clock.instant()) + "-" + report.getAccountId() + "-" + channel.replaceAll("[^A-Za-z0-9_-]+", "-");
        Object body = exchange.getMessage().getBody();
        Path bodyFile = directory.resolve(name + ".body");
        if (body instanceof File file) {
            Files.copy(file.toPath(), bodyFile, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(bodyFile, failureText.redact(exchange.getMessage().getBody(String.class)));
        }
        ObjectNode meta = JSON.createObjectNode();
        meta.put("channel", channel);
        // an e-mail's recipients (not a credential), so it can be sent again by hand
        String to = exchange.getMessage().getHeader("To", String.class);
        if (to != null) {
            meta.put("to", to);
        }
        meta.put("account_id", report.getAccountId());
        meta.put("failed_at", clock.instant().toString());
        meta.put("reason", reason);
        meta.put("body_file", bodyFile.getFileName().toString());
        meta.put("report_csv", report.getCsvFile());
        meta.put("report_json", report.getJsonFile());
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(name + ".json").toFile(), meta);
        return reason + " (kept in " + bodyFile + ")";
    }
}
