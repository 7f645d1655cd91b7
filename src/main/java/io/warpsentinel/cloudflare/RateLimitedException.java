package io.warpsentinel.cloudflare;

import java.time.Duration;

/** A 429: the token passed Cloudflare's 1,200 requests per 5 minutes. Retried after {@link #retryAfter()}. */
public class RateLimitedException extends TransientApiException {

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(429, message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
