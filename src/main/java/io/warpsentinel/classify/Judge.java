package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Newer;
import io.warpsentinel.finding.Reason;
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
 * later may supersede, a finding (or one its platform may make stale) whose device's details are
 * looked up after the listing, and, when remediation keeps each user's last device, a finding of a
 * user, offered to remediation once every user's newest registration is known. What the
 * {@link Rules} need of the whole listing is noted in the spool as it goes, and the newest
 * registration of each device and user indexed from it once the listing is complete. Memory holds
 * one primitive entry per registration of a named device ({@link NewestRegistrations}) and, when
 * remediation keeps each user's last device, one per user ({@link UsersLastSeen}), never the
 * fleet as objects.
 */
public final class Judge implements AutoCloseable {

    private final Rules rules;
    private final Exclusions exclusions;
    private final boolean devicesLookedUp;
    // once the listing is complete
    private NewestRegistrations newest;
    private final RegistrationSpool spool = new RegistrationSpool();
    private final DeviceDirectory devices = new DeviceDirectory();
    private final JudgedWindows windows;
    private final int expected;
    // only when remediation keeps each user's last device (and asked for it before the listing)
    private UsersLastSeen users;

    /**
     * @param devicesLookedUp whether the findings' devices are looked up after the listing (sentinel.devices.enrich)
     * @param expected        about how many registrations the account has (its last scan's count), to size the users' index once
     */
    Judge(Rules rules, Exclusions exclusions, boolean devicesLookedUp, int expected) {
        this.rules = rules;
        this.exclusions = exclusions;
        this.devicesLookedUp = devicesLookedUp;
        this.expected = expected;
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
        windows.listed(registration);
        boolean judgeable = listed.reason() != Reason.INVALID;
        Instant lastSeen = judgeable ? RegistrationClassifier.parseTimestamp(registration.lastSeenAt()) : null;
        if (users != null && judgeable) {
            users.add(registration, lastSeen);
        }
        boolean supersedable = Rules.canSupersede(registration, listed);
        boolean mayBeSuperseded = supersedable && rules.maySomedayBeSuperseded(lastSeen);
        boolean wantsDevice = wantsDevice(registration, listed);
        // remediation weighs a user's finding against the user's newest registration, known once the listing is
        boolean wantsUsers = users != null && listed.reason().isFinding() && UsersLastSeen.hasUser(registration);
        boolean judgedNow = !mayBeSuperseded && !wantsDevice && !wantsUsers;
        if (supersedable || !judgedNow) {
            // kept on disk: to be judged later, or as the newer registration that supersedes others (its id is reported then)
            long key = supersedable ? NewestRegistrations.key(registration) : 0;
            long seen = supersedable ? NewestRegistrations.micros(lastSeen) : 0;
            spool.append(new RegistrationSpool.Hint(judgedNow, wantsDevice, supersedable, key, seen), registration);
        }
        if (!judgedNow) {
            return null;
        }
        windows.judged(listed, null);
        return excluded(registration, listed);
    }

    /** Whether the details of the registration's device are wanted: it is a finding, or its platform may make it stale. */
    private boolean wantsDevice(Registration registration, Verdict listed) {
        return devicesLookedUp && registration.deviceId() != null && (listed.reason().isFinding() || rules.staleOnSomeDevice(registration));
    }

    /**
     * The share of these registrations, not judged yet, whose device's details judging them will
     * want (a device counted once per registration on it), or -1 for none: what the first page
     * shows of the device look-up, before the listing is complete.
     */
    public double shareWantingDevice(Iterable<Registration> page) {
        long listed = 0;
        long wanting = 0;
        for (Registration registration : page) {
            listed++;
            if (wantsDevice(registration, rules.judge(registration, null, null))) {
                wanting++;
            }
        }
        return listed == 0 ? -1 : (double) wanting / listed;
    }

    /** The listing is complete: every registration that may supersede another is known, and when each user was last seen. */
    public void listingComplete() {
        newest = new NewestRegistrations(Math.toIntExact(spool.supersedable()));
        for (Iterator<RegistrationSpool.Header> headers = spool.headers(); headers.hasNext(); ) {
            RegistrationSpool.Header header = headers.next();
            if (header.hint().supersedable()) {
                newest.add(header.hint().deviceAndUser(), header.hint().seenMicros(), header.offset());
            }
        }
        newest.listingComplete();
        if (users != null) {
            users.listingComplete();
        }
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
        return found != null && rules.supersedes(NewestRegistrations.instant(found.seenMicros()), NewestRegistrations.instant(hint.seenMicros()));
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
                Device device = null;
                if (devicesLookedUp && registration.deviceId() != null
                        && (verdict.reason().isFinding() || rules.staleOnSomeDevice(registration))) {
                    device = devices.find(registration.deviceId());
                    verdict = rules.judge(registration, newer, device);
                }
                windows.judged(verdict, device);
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

    /** What the stale-after windows judged, counted on each registration's final verdict. */
    public JudgedWindows windows() {
        return windows;
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
        if (found == null || !rules.supersedes(NewestRegistrations.instant(found.seenMicros()), lastSeen)) {
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
