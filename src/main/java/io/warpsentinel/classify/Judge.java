package io.warpsentinel.classify;

import io.warpsentinel.finding.Newer;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * One account's judge, a part of its scan. As the pages stream through, a registration whose
 * verdict the rest of the listing cannot change is judged at once; the others are set aside in a
 * spool on disk, to be judged once the listing is complete: one a newer registration listed pages
 * later may supersede, and a finding (or one its platform may make stale) whose device's details
 * are looked up after the listing. What the {@link Rules} need of the whole listing is noted as it
 * goes: the newest registration of each device and user. Memory holds one primitive entry per
 * registration of a named device ({@link NewestRegistrations}), never the fleet as objects.
 */
public final class Judge implements AutoCloseable {

    private final Rules rules;
    private final Exclusions exclusions;
    private final boolean devicesLookedUp;
    private final NewestRegistrations newest;
    private final RegistrationSpool spool = new RegistrationSpool();
    private final DeviceDirectory devices = new DeviceDirectory();

    /**
     * @param devicesLookedUp whether the findings' devices are looked up after the listing (sentinel.devices.enrich)
     * @param expected        about how many registrations the account has (its last scan's count), to size the index once
     */
    Judge(Rules rules, Exclusions exclusions, boolean devicesLookedUp, int expected) {
        this.rules = rules;
        this.exclusions = exclusions;
        this.devicesLookedUp = devicesLookedUp;
        this.newest = new NewestRegistrations(expected);
    }

    /**
     * During the listing: the verdicts on the page's registrations the rest of the listing cannot
     * change, in listing order; the others are set aside until it is complete.
     */
    public List<Verdict> judgeOrSetAside(Iterable<Registration> page) {
        List<Verdict> judged = new ArrayList<>();
        for (Registration registration : page) {
            Verdict verdict = judgeOrSetAside(registration);
            if (verdict != null) {
                judged.add(verdict);
            }
        }
        return judged;
    }

    private Verdict judgeOrSetAside(Registration registration) {
        Verdict listed = rules.judge(registration, null, null);
        boolean supersedable = Rules.canSupersede(registration, listed);
        Instant lastSeen = supersedable ? RegistrationClassifier.parseTimestamp(registration.lastSeenAt()) : null;
        boolean mayBeSuperseded = supersedable && rules.maySomedayBeSuperseded(lastSeen);
        boolean wantsDevice = devicesLookedUp && registration.deviceId() != null
                && (listed.reason().isFinding() || rules.staleOnSomeDevice(registration));
        boolean judgedNow = !mayBeSuperseded && !wantsDevice;
        if (supersedable || !judgedNow) {
            // kept on disk: to be judged later, or as the newer registration that supersedes others (its id is reported then)
            long key = supersedable ? NewestRegistrations.key(registration) : 0;
            long seen = supersedable ? NewestRegistrations.nanos(lastSeen) : 0;
            long offset = spool.append(new RegistrationSpool.Hint(judgedNow, wantsDevice, supersedable, key, seen), registration);
            if (supersedable) {
                newest.add(key, seen, offset);
            }
        }
        return judgedNow ? excluded(registration, listed) : null;
    }

    /** The listing is complete: every registration that may supersede another is known. */
    public void listingComplete() {
        newest.listingComplete();
    }

    /**
     * The devices of the registrations set aside that are findings, each id once, for their details
     * to be looked up: those the listing took for findings (or may be, on some device), and those a
     * newer registration supersedes. Read from the spool's headers, the records skipped unread.
     */
    public DeviceIds devicesToLookUp() {
        long count = 0;
        for (Iterator<String> ids = findingDevices(); ids.hasNext(); ids.next()) {
            count++;
        }
        return new DeviceIds(count, this::findingDevices);
    }

    private Iterator<String> findingDevices() {
        Iterator<RegistrationSpool.Header> headers = spool.headers();
        LongSet seen = new LongSet();
        return new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                while (next == null && headers.hasNext()) {
                    RegistrationSpool.Header header = headers.next();
                    RegistrationSpool.Hint hint = header.hint();
                    if (!hint.judged() && header.deviceId() != null && (hint.wantsDevice() || hint.supersedable() && superseded(hint))
                            && seen.add(Keys.of(header.deviceId()))) {
                        next = header.deviceId();
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

    private boolean superseded(RegistrationSpool.Hint hint) {
        NewestRegistrations.Newest found = newest.newestOf(hint.deviceAndUser());
        return found != null && rules.supersedes(NewestRegistrations.instant(found.seenNanos()), NewestRegistrations.instant(hint.seenNanos()));
    }

    /**
     * The registrations set aside, judged for good now that the listing and the devices' look-up
     * are complete, in listing order.
     */
    public Iterator<Verdict> setAsideJudged() {
        devices.complete();
        Iterator<Registration> registrations = spool.setAside();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return registrations.hasNext();
            }

            @Override
            public Verdict next() {
                Registration registration = registrations.next();
                Newer newer = newestOf(registration);
                Verdict verdict = rules.judge(registration, newer, null);
                // its device's details only where they are worth a look-up: a finding, or one its platform may make stale
                if (devicesLookedUp && registration.deviceId() != null
                        && (verdict.reason().isFinding() || rules.staleOnSomeDevice(registration))) {
                    verdict = rules.judge(registration, newer, devices.find(registration.deviceId()));
                }
                return excluded(registration, verdict);
            }
        };
    }

    private Verdict excluded(Registration registration, Verdict verdict) {
        String rule = exclusions.ruleFor(registration);
        return rule == null ? verdict : verdict.excludedBy(rule);
    }

    /** The run's rules, as this account is judged by them (remediation judges a re-checked record again). */
    public Rules rules() {
        return rules;
    }

    /** The devices' details, filled by the look-up after the listing. */
    public DeviceDirectory devices() {
        return devices;
    }

    /** The newest registration of its device and user when it supersedes this one (read from the spool only then), else null. */
    private Newer newestOf(Registration registration) {
        Instant lastSeen = RegistrationClassifier.parseTimestamp(registration.lastSeenAt());
        if (!NewestRegistrations.applies(registration) || lastSeen == null) {
            return null;
        }
        NewestRegistrations.Newest found = newest.newestOf(registration);
        if (found == null || !rules.supersedes(NewestRegistrations.instant(found.seenNanos()), lastSeen)) {
            return null;
        }
        Registration newer = spool.read(found.spoolOffset());
        // a key shared by another device and user by chance (one in 10^19) must not supersede anything
        if (!registration.deviceId().equals(newer.deviceId()) || !Objects.equals(registration.userId(), newer.userId())) {
            return null;
        }
        return new Newer(newer.id(), RegistrationClassifier.parseTimestamp(newer.lastSeenAt()));
    }

    @Override
    public void close() {
        spool.close();
        devices.close();
    }
}
