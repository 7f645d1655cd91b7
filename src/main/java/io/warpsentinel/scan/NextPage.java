package io.warpsentinel.scan;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Joins the branches of one turn of scan-account's page loop, which classify the current page
 * while the next one is fetched (and, beside them, a page of the device inventory, whose own
 * failures never reach here): the next page (or none) becomes the body, and a failure of any
 * branch is the turn's failure. Every branch always runs to its end, so no fetch is left running
 * once the account's scan is over.
 */
public final class NextPage implements AggregationStrategy {

    /** The position of the fetching branch in the multicast. */
    static final int FETCH_BRANCH = 1;

    /** Called as each branch ends, in whichever order they end. */
    @Override
    public Exchange aggregate(Exchange joined, Exchange branch) {
        Exchange result = joined == null ? branch : joined;
        if (result != branch) {
            if (result.getException() == null && branch.getException() != null) {
                result.setException(branch.getException());
            }
            if (isFetch(branch)) {
                result.getMessage().setBody(branch.getMessage().getBody());
            }
        }
        return result;
    }

    private static boolean isFetch(Exchange branch) {
        Integer index = branch.getProperty(Exchange.MULTICAST_INDEX, Integer.class);
        return index != null && index == FETCH_BRANCH;
    }
}
