package io.warpsentinel.finding;

import java.time.Instant;

/** The newer registration of the same device and user that supersedes one: its id, and when it was last seen. */
public record Newer(String registrationId, Instant lastSeen) {
}
