package io.warpsentinel.classify;

import io.warpsentinel.cloudflare.Registration;

/**
 * A registration with its classification. {@code daysSinceSeen} is whole days between
 * {@code last_seen_at} and the scan's start, or null when {@code last_seen_at} is unreadable;
 * {@code note} says what made an {@code invalid} record invalid.
 */
public record Verdict(Registration registration, Reason reason, Long daysSinceSeen, String note) {
}
