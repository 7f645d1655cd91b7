package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.http.HttpBounds;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Prepares each request of the cloudflare-call route, the one way every call reaches Cloudflare:
 * counts it on the account's walk, stops it past the account's deadline
 * ({@code sentinel.scan-timeout}), and sets its method, URL, token and deadline. A write gets the
 * write token, every other call the read token. The tokens go straight into the header: read
 * through Camel's properties on every request, they would be printed by Camel's DEBUG log.
 */
public final class CloudflareCalls {

    /** The exchange property that holds the {@link CloudflareRequest} the cloudflare-call route sends. */
    public static final String REQUEST = "request";

    private final String readAuthorization;
    private final String writeAuthorization;
    private final java.time.Clock clock;

    /** @param writeToken the remediation's token (Zero Trust Write); empty when it writes nothing */
    public CloudflareCalls(String readToken, String writeToken, java.time.Clock clock) {
        this.readAuthorization = "Bearer " + readToken;
        this.writeAuthorization = "Bearer " + writeToken;
        this.clock = clock;
    }

    /**
     * Called before every request, retries included. The answer must be complete by the
     * account's deadline too ({@link HttpBounds}).
     */
    public void prepare(@ExchangeProperty(REQUEST) CloudflareRequest request, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                        Exchange exchange) {
        PageWalk walk = scan.get(PageWalk.class);
        walk.countRequest();
        if (clock.instant().isAfter(walk.getDeadline())) {
            throw walk.timedOut("it took longer");
        }
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.HTTP_URI, request.url());
        message.setHeader("Accept", "application/json");
        message.setHeader("Authorization", request.write() ? writeAuthorization : readAuthorization);
        message.setHeader(HttpBounds.DEADLINE_HEADER, walk.getDeadline().toEpochMilli());
        message.setBody(request.method().equals("GET") ? null : "");
    }
}
