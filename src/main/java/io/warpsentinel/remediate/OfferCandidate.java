package io.warpsentinel.remediate;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.state.AccountState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step after a registration is recorded in the report: the body, its verdict as the finding
 * state judged it (new or open since when), is offered to the account's remediation plan, if
 * remediation is on.
 */
public final class OfferCandidate implements Processor {

    @Override
    public void process(Exchange exchange) {
        AccountScan scan = exchange.getProperty(AccountScan.PROPERTY, AccountScan.class);
        RemediationPlan plan = scan.find(RemediationPlan.class);
        if (plan != null) {
            AccountState state = scan.get(AccountState.class);
            plan.offer(exchange.getMessage().getBody(Verdict.class), state::actedOn, state::revokedByUs);
        }
    }
}
