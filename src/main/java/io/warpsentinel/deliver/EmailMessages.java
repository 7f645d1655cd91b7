package io.warpsentinel.deliver;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.report.HtmlReport;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.report.Wording;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.time.ZoneId;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * What the e-mail route calls: whether this report is mailed, and the message itself: the HTML
 * report as the body, a plain-text alternative, and the CSV attached when it is small enough
 * for a mailbox.
 */
public final class EmailMessages implements DeliveryChannel {

    /** How logs, metrics and dead letters name this channel. */
    public static final String CHANNEL = "e-mail";

    private final boolean enabled;
    private final boolean onlyWithFindings;
    private final String from;
    private final String to;
    private final String cc;
    private final long attachCsvMaxBytes;
    private final ZoneId timeZone;

    public EmailMessages(boolean enabled, boolean onlyWithFindings, String from, String to, String cc, long attachCsvMaxBytes,
                         ZoneId timeZone) {
        this.timeZone = timeZone;
        this.enabled = enabled;
        this.onlyWithFindings = onlyWithFindings;
        this.from = from;
        this.to = to;
        this.cc = cc;
        this.attachCsvMaxBytes = attachCsvMaxBytes;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public boolean wanted(ReportSummary report) {
        return enabled && report.alertWanted() && (!onlyWithFindings || report.findings() > 0);
    }

    public void prepare(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, Exchange exchange) throws IOException {
        ReportSummary report = scan.get(ReportSummary.class);
        var message = exchange.getMessage(AttachmentMessage.class);
        message.setHeader("From", from);
        message.setHeader("To", to);
        if (!cc.isEmpty()) {
            message.setHeader("Cc", cc);
        }
        message.setHeader("Subject", "[warp-sentinel] " + report.accountId() + ": " + Wording.alertHeadline(report));
        // the report's page without its script: mail clients drop scripts
        String html = HtmlReport.renderForEmail(report, timeZone);
        String text = HtmlReport.renderText(report);
        long csvBytes = Files.size(report.csvFile());
        if (csvBytes <= attachCsvMaxBytes) {
            message.addAttachment(report.csvName(), new DataHandler(new CsvFile(report.csvFile().toFile())));
        } else {
            String tooLarge = "The CSV (" + csvBytes / 1_048_576 + " MB) is larger than sentinel.email.attach-csv-max-bytes and is not "
                    + "attached; it is " + report.csvFile() + " on the warp-sentinel host.";
            html = html.replace("<body>", "<body><p><strong>" + HtmlReport.escapeText(tooLarge) + "</strong></p>");
            text = tooLarge + "\n\n" + text;
        }
        message.setBody(html);
        message.setHeader("CamelMailAlternativeBody", text);
    }

    /** The CSV report labelled as CSV (the default file type map only knows it as octet-stream). */
    private static final class CsvFile extends FileDataSource {
        CsvFile(java.io.File file) {
            super(file);
        }

        @Override
        public String getContentType() {
            return "text/csv; charset=UTF-8";
        }
    }
}
