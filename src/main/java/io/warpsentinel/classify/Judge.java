package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Newer;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One account's judge, a part of its scan: the run's {@link Rules} applied to each registration
 * as the pages stream through, and what they need of the rest of the listing. A finding, and a
 * registration whose verdict depends on one not listed yet (a newer registration of its device
 * may supersede it, pages later) or on its device's details (its platform's stale-after window),
 * is set aside in a spool on disk and judged again, in listing order, once the listing and the
 * devices' look-up are complete: every finding carries its device's details, and the reports list
 * findings in the order Cloudflare listed them. Memory holds one primitive entry per
 * registration of a named device ({@link NewestRegistrations}) and, when remediation keeps each
 * user's last device, one per user ({@link UsersLastSeen}), never the fleet as objects.
 */
public final class Judge implements AutoCloseable {

    private final Rules rules;
    private final Exclusions exclusions;
    private final NewestRegistrations newest;
    private final RegistrationSpool spool = new RegistrationSpool();
    private final DeviceDirectory devices = new DeviceDirectory();
    private final JudgedWindows windows;
    private final int expected;
    // only when remediation keeps each user's last device (and asked for it before the listing)
    private UsersLastSeen users;
    private long findingsSetAside;

    /**
     * @param expected    about how many registrations the account has (its last scan's count), to size the index once
     */
    Judge(Rules rules, Exclusions exclusions, int expected) {
        this.rules = rules;
        this.exclusions = exclusions;
        this.expected = expected;
        this.newest = new NewestRegistrations(expected);
        this.windows = new JudgedWindows(rules);
    }

    /**
     * When each user was last seen, gathered from every registration of the listing from now on
     * and complete once the listing is: asked for before the listing, by what needs it (remediation
     * keeping each user's last device), so that a scan that does not pays nothing for it.
     */
    public UsersLastSeen usersLastSeen() {
        if (users == null) {
            users = new UsersLastSeen(expected);
        }
        return users;
    }

    /** During the listing: the verdict on a registration now, or null when it is set aside to be judged after the listing. */
    public Verdict judgeOrSetAside(Registration registration) {
        Verdict verdict = rules.judge(registration, null, null);
        windows.listed(registration);
        if (users != null && verdict.reason() != Reason.INVALID) {
            users.add(registration, RegistrationClassifier.parseTimestamp(registration.lastSeenAt()));
        }
        // a finding waits too: findings are recorded in listing order, with their devices' details
        boolean waits = verdict.reason().isFinding() || rules.mayChange(registration, verdict);
        long offset = -1;
        if (waits) {
            offset = spool.pending(registration);
            if (verdict.reason().isFinding()) {
                findingsSetAside++;
            }
        }
        if (Rules.canSupersede(registration, verdict)) {
            newest.add(registration, RegistrationClassifier.parseTimestamp(registration.lastSeenAt()),
                    offset >= 0 ? offset : spool.reference(registration));
        }
        if (waits) {
            return null;
        }
        windows.judged(verdict, null);
        return excluded(registration, verdict);
    }

    /** The listing is complete: every registration that may supersede another is known, and when each user was last seen. */
    public void listingComplete() {
        newest.listingComplete();
        if (users != null) {
            users.listingComplete();
        }
    }

    /** The registrations set aside, each judged for good now that the listing (and the devices' look-up) is complete, in listing order. */
    public Iterator<Verdict> setAside() {
        devices.complete();
        Iterator<Registration> pending = spool.pendingInOrder();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pending.hasNext();
            }

            @Override
            public Verdict next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Registration registration = pending.next();
                Device device = devices.find(registration.deviceId());
                Verdict verdict = rules.judge(registration, newestOf(registration), device);
                windows.judged(verdict, device);
                return excluded(registration, verdict);
            }
        };
    }

    /**
     * The devices whose details the findings set aside need, each id once: the registrations set
     * aside judged with the listing complete (a registration no newer one supersedes and no
     * window can make stale needs none).
     */
    public DeviceIds devicesToLookUp() {
        LongSet seen = new LongSet();
        long count = 0;
        for (Iterator<String> ids = findingDevices(seen); ids.hasNext(); ids.next()) {
            count++;
        }
        return new DeviceIds(count, () -> findingDevices(new LongSet()));
    }

    private Iterator<String> findingDevices(LongSet seen) {
        Iterator<Registration> pending = spool.pendingInOrder();
        return new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                while (next == null && pending.hasNext()) {
                    Registration registration = pending.next();
                    String deviceId = registration.deviceId();
                    if (deviceId != null && mayBeFinding(registration) && seen.add(Keys.of(deviceId))) {
                        next = deviceId;
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String id = next;
                next = null;
                return id;
            }
        };
    }

    /** Whether a registration set aside is a finding on some device: judged without its details, then with the shortest window it may get. */
    private boolean mayBeFinding(Registration registration) {
        Verdict verdict = rules.judge(registration, newestOf(registration), null);
        return verdict.reason().isFinding() || rules.staleOnSomeDevice(registration);
    }

    /** The run's rules, as this account is judged by them (remediation judges a re-checked record again). */
    public Rules rules() {
        return rules;
    }

    /** What the stale-after windows judged, counted on each registration's final verdict. */
    public JudgedWindows windows() {
        return windows;
    }

    /** The devices' details, filled by the look-up after the listing. */
    public DeviceDirectory devices() {
        return devices;
    }

    /** How many registrations set aside are findings already as the listing judged them. */
    public long findingsSetAside() {
        return findingsSetAside;
    }

    /** The newest registration of its device and user when it supersedes this one (read from the spool only then), else null. */
    private Newer newestOf(Registration registration) {
        NewestRegistrations.Newest found = newest.newestOf(registration);
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        if (found == null || lastSeen == null || !rules.supersedes(NewestRegistrations.instant(found.seenNanos()), lastSeen)) {
            return null;
        }
        Registration newer = spool.read(found.spoolOffset());
        // a key shared by another device and user by chance (one in 10^19) must not supersede anything
        if (!registration.deviceId().equals(newer.deviceId()) || !java.util.Objects.equals(registration.userId(), newer.userId())) {
            return null;
        }
        Instant seen = RegistrationClassifier.parseTimestamp(newer.lastSeenAt());
        return new Newer(newer.id(), seen);
    }

    private Verdict excluded(Registration registration, Verdict verdict) {
        String rule = exclusions.ruleFor(registration);
        return rule == null ? verdict : verdict.excludedBy(rule);
    }

    @Override
    public void close() {
        spool.close();
        devices.close();
    }
}
