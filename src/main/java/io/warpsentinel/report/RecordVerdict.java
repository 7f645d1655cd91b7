package io.warpsentinel.report;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Verdict;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The route's step after classification: the body, a {@link Verdict}, is counted in the account's
 * report and, if a finding, written to it; the body becomes the verdict as the finding state judged it.
 */
public final class RecordVerdict implements Processor {

    @Override
    public void process(Exchange exchange) throws IOException {
        var message = exchange.getMessage();
        ReportWriter report = exchange.getProperty(AccountScan.PROPERTY, AccountScan.class).get(ReportWriter.class);
        message.setBody(report.record(message.getBody(Verdict.class)));
    }
}
