package io.warpsentinel.cloudflare;

import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * What the fetch route calls: starts an account's walk with the configured filters, and turns
 * each HTTP answer into a page while moving the walk on.
 */
public final class RegistrationPages {

    private final RegistrationsPageParser parser = new RegistrationsPageParser();
    private final String filters;
    private final int maxPages;

    /**
     * @param perPage page size sent as {@code per_page}
     * @param maxPages how many pages one account may take before the walk is stopped
     */
    public RegistrationPages(int perPage, int maxPages) {
        // status defaults to "active" on Cloudflare's side: without status=all no revoked
        // registration would ever be listed.
        this.filters = "status=all&per_page=" + perPage;
        this.maxPages = maxPages;
    }

    public PageWalk walk(@ExchangeProperty("accountId") String accountId) {
        return new PageWalk(accountId, filters, maxPages);
    }

    public RegistrationsPage read(@ExchangeProperty("walk") PageWalk walk,
                                  @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus,
                                  InputStream body) {
        RegistrationsPage page = parser.parse(walk.getAccountId(), httpStatus, body);
        walk.advance(page);
        return page;
    }
}
