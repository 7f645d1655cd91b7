package io.warpsentinel.state;

import io.warpsentinel.classify.DeviceUserIndex;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registrations warp-sentinel removed that an account's state remembers ({@link StoredRemoval}),
 * while a scan compares its listing with them, and the rules of what is remembered after it: a
 * removal stays for {@code sentinel.state.keep-removals} after warp-sentinel last acted on the
 * registration, and a revoke that a person undid (the registration listed unrevoked since) is
 * forgotten: the registration is theirs again. Few: at most max-per-run a run, held as rows.
 */
final class Removals {

    // Cloudflare's revoked_at of warp-sentinel's own revoke: the time of its write call, after the start
    // of the run it remembers (a run's writes come within hours of its start)
    private static final Duration OURS_WITHIN = Duration.ofDays(1);

    private final Map<String, StoredRemoval> loaded = new HashMap<>();
    private final DeviceUserIndex<StoredRemoval> byDevice;
    private final Duration keep;
    // what this scan's remediation did, by registration id
    private final Map<String, StoredRemoval> acted = new LinkedHashMap<>();
    private final Set<String> unrevoked = new HashSet<>();

    Removals(List<StoredRemoval> stored, Duration keep) {
        stored.forEach(removal -> loaded.putIfAbsent(removal.registrationId(), removal));
        this.byDevice = new DeviceUserIndex<>(List.copyOf(loaded.values()), StoredRemoval::deviceId, StoredRemoval::userId);
        this.keep = keep;
    }

    /**
     * A registration as listed: a revoke of ours it no longer shows was undone by a person, and one
     * it shows from well after ours is someone else's (undone and done again between two scans).
     */
    void listed(Registration registration) {
        StoredRemoval removal = registration.id() == null ? null : loaded.get(registration.id());
        if (removal == null || removal.revokedAt() == TrackedFinding.NEVER) {
            return;
        }
        Instant revoked = RegistrationClassifier.parseTimestamp(registration.revokedAt());
        if (isBlank(registration.revokedAt()) || revoked != null && revoked.toEpochMilli() > removal.revokedAt() + OURS_WITHIN.toMillis()) {
            unrevoked.add(registration.id());
        }
    }

    /**
     * The removal this registration enrolled again after, or null: of its device and user, another
     * registration, which warp-sentinel last revoked or deleted before this one was created.
     */
    ReEnrolment enrolledAgain(Registration registration) {
        Instant created = RegistrationClassifier.parseTimestamp(registration.createdAt());
        if (created == null) {
            return null;
        }
        StoredRemoval after = null;
        long at = TrackedFinding.NEVER;
        Action action = Action.NONE;
        for (StoredRemoval removal : byDevice.of(registration)) {
            if (removal.registrationId().equals(registration.id())) {
                continue;
            }
            for (Action done : new Action[] {Action.REVOKE, Action.DELETE}) {
                long time = done == Action.REVOKE ? removal.revokedAt() : removal.deletedAt();
                if (time != TrackedFinding.NEVER && time < created.toEpochMilli() && time > at) {
                    after = removal;
                    at = time;
                    action = done;
                }
            }
        }
        return after == null ? null : new ReEnrolment(registration, after.registrationId(), action, Instant.ofEpochMilli(at));
    }

    /** When warp-sentinel revoked this registration, if that revoke still stands (not undone, not followed by a delete); else null. */
    Instant revokedByUs(String registrationId) {
        StoredRemoval removal = registrationId == null ? null : loaded.get(registrationId);
        return removal == null || removal.revokedAt() == TrackedFinding.NEVER || removal.deletedAt() != TrackedFinding.NEVER
                || unrevoked.contains(registrationId) ? null : Instant.ofEpochMilli(removal.revokedAt());
    }

    /** This scan's remediation did this to the registration (not in a dry run) at {@code at}. */
    void acted(Registration registration, Action action, long at) {
        String id = registration.id();
        StoredRemoval before = acted.getOrDefault(id, loaded.get(id));
        if (before == null) {
            before = new StoredRemoval(id, registration.deviceId(), registration.userId(), TrackedFinding.NEVER, TrackedFinding.NEVER);
        }
        acted.put(id, before.and(action, at));
    }

    /**
     * What a stored removal becomes once this scan is saved: what this scan did added, a revoke
     * undone forgotten, and the whole of it forgotten once warp-sentinel last acted on it longer
     * than keep-removals before {@code now}; as stored when this scan did not load it (another
     * instance saved it since).
     */
    StoredRemoval afterScan(StoredRemoval stored, Instant now) {
        String id = stored.registrationId();
        if (!loaded.containsKey(id)) {
            return stored;
        }
        StoredRemoval removal = acted.getOrDefault(id, stored);
        if (unrevoked.contains(id) && !acted.containsKey(id)) {
            removal = new StoredRemoval(id, removal.deviceId(), removal.userId(), TrackedFinding.NEVER, removal.deletedAt());
        }
        if (removal.lastActedAt() == TrackedFinding.NEVER || Instant.ofEpochMilli(removal.lastActedAt()).plus(keep).isBefore(now)) {
            return null;
        }
        return removal;
    }

    /** The removals of registrations this scan's remediation acted on that the state did not remember yet. */
    List<StoredRemoval> newRows() {
        return acted.values().stream().filter(removal -> !loaded.containsKey(removal.registrationId())).toList();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
