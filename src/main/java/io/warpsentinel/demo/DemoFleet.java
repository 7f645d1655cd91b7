package io.warpsentinel.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A simulated account's registrations on one demo day, generated on demand from the account id,
 * a slot's index and the day, so a fleet of a million costs no memory; only what the API's
 * writes changed is kept (a few entries per revoke or delete).
 *
 * <p>On day 0 a fleet of {@code size} lists exactly {@code size} registrations; of 10,000, by the
 * classifier's 30-day rule, 63.5% are current, 25.3% stale, 10.9% revoked and 0.3% unreadable,
 * the same shares within a point or two on any later day. 90% of the slots live the
 * {@link DemoCase#LIFECYCLE}: each slot is one device and its user (every third slot the same
 * user), and its registration goes through a period of 120 to 320 days, the same period over and
 * over with new draws: deleted and not yet enrolled again for 0 to 3 days, created and seen for
 * a while, quiet (stale once unseen for 30 days), for 45% seen again (recovered) and quiet again,
 * for 40% revoked, and deleted at the period's end, when the next registration of the same device
 * and user begins. The phases are spread so that no slot is between two registrations on day 0
 * and that from one day to the next 1.5 to 2% of the registrations change: some go stale, some
 * come back, some are revoked, some deleted, new ones created. The other 10% of the slots hold the
 * cases of {@link DemoCase}, the same every day: superseded registrations (their newer one on the
 * same page or pages later), near duplicates that are not, a device with two users, service
 * tokens superseding each other, a newer registration that is revoked, never-used enrolments and
 * their edges. Service tokens also show among the lifecycle slots: no {@code user} (every 41st
 * slot), {@code user: null} (every 37th) and a user whose e-mail starts {@code non_identity@}
 * (every 43rd). Timestamps come with {@code Z} or a numeric offset, with or without fractional
 * seconds; device names hold commas, quotes, HTML and non-ASCII text; fields this client does not
 * know are sent; two lifecycle slots in 499 have an unreadable or missing {@code last_seen_at}.
 *
 * <p>A revoke or delete of an active registration through the API creates a new registration of
 * the same device and user 30 seconds later ({@link DemoCase#RE_ENROLLED}), listed after the
 * fleet's slots, as Cloudflare does when the user connects again; it lives as long as the
 * registration it replaced would have. bench/node/api.mjs is a port of this class (day 0, no
 * writes): a change here is made there too, and bench/node/compare-apis.mjs checks both.
 */
public final class DemoFleet {

    static final int DAY = 86_400;
    private static final int HOUR = 3_600;
    private static final String[] DEVICE_NAMES = {
        "Alice's MacBook Pro", "build-agent-07", "Kiosk, Lobby 2", "Bob \"the builder\" laptop",
        "Müller-Lüdenscheidt ThinkPad", "山田のPC", "<script>alert(1)</script>", "Pixel 8 Pro",
        "iPad (Front desk)", "  padded name  ", "line\nbreak", "DESKTOP-7Q2JH1K",
    };
    private static final String[] OFFSETS = {"Z", "+02:00", "-05:00", "+05:30"};
    /** Salts of the ids that are not a registration's. */
    private static final long DEVICE_IDS = 1L << 48;
    private static final long USER_IDS = 2L << 48;
    private static final long TOKEN_IDS = 3L << 48;

    private final long seed;
    private final int size;
    private final long now;
    private final int day;
    // what the API's writes changed, by registration id; epoch seconds
    private final Map<String, Long> revokedByCall = new ConcurrentHashMap<>();
    private final Set<String> deletedByCall = ConcurrentHashMap.newKeySet();
    private final List<Enrolment> enrolments = new CopyOnWriteArrayList<>();
    private final Map<Integer, List<Integer>> enrolmentsByDevice = new ConcurrentHashMap<>();

    /** A registration created by the API when its user connected again after a removal; {@code root} is the slot whose registration it continues. */
    private record Enrolment(int root, int rootGeneration, long created, int device, int user) { }

    /** The fleet of day 0. */
    public DemoFleet(String accountId, int size, Instant now) {
        this(accountId, size, now, 0);
    }

    /**
     * @param now the instant of this day's scans: every timestamp is relative to it
     * @param day the demo's day, 0 for a fresh fleet
     */
    public DemoFleet(String accountId, int size, Instant now, int day) {
        this.seed = accountId.hashCode() * 0x9E3779B97F4A7C15L;
        this.size = size;
        this.now = now.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        this.day = day;
    }

    /** The slots, then the registrations the API created: the indexes a listing walks. */
    public int size() {
        return size + enrolments.size();
    }

    /** The fleet's slots, without what the API created. */
    public int slots() {
        return size;
    }

    public int day() {
        return day;
    }

    /** This day's "now", in epoch seconds: what the day's timestamps are relative to. */
    long now() {
        return now;
    }

    /** What slot {@code index} holds. */
    public DemoCase caseOf(int index) {
        return index < size ? DemoCase.of(index, size) : DemoCase.RE_ENROLLED;
    }

    /** The registration at {@code index} as listed today, or null when there is none (deleted, not yet enrolled). */
    DemoRegistration registration(int index) {
        DemoRegistration registration = index < size ? generated(index) : enrolled(index);
        if (registration == null || revokedByCall.isEmpty() && deletedByCall.isEmpty()) {
            return registration;
        }
        if (deletedByCall.contains(registration.id())) {
            return null;
        }
        Long revokedAt = revokedByCall.get(registration.id());
        return revokedAt == null || registration.isRevoked() ? registration : registration.revokedAt(revokedAt);
    }

    /** The id of the registration listed at {@code index} today, or null. */
    public String registrationId(int index) {
        DemoRegistration registration = registration(index);
        return registration == null ? null : registration.id();
    }

    /** The index of a registration id listed today, or -1. */
    public int indexOf(String registrationId) {
        int index = parseIndex(registrationId, "reg-");
        DemoRegistration registration = index < 0 ? null : registration(index);
        return registration != null && registration.id().equals(registrationId) ? index : -1;
    }

    // --- what the API's writes do -------------------------------------------------------------

    /**
     * A change the API made, as the journal keeps it: {@code at} in epoch seconds, when it was
     * made. A later day shows it when it was made, not shifted with the simulated days: what the
     * API did then agrees with warp-sentinel's own records of it (its audit file and finding state
     * keep the real time of a revoke or delete), as Cloudflare's timestamps would.
     */
    record Change(String kind, String registrationId, long at) {
        static final String REVOKE = "revoke";
        static final String UNREVOKE = "unrevoke";
        static final String DELETE = "delete";
        /** A new registration of the same device and user as {@code registrationId}, which was removed. */
        static final String ENROL = "enrol";
    }

    /** Revokes (Cloudflare keeps the time of a first revoke); an active registration's user enrols again. */
    synchronized List<Change> revoke(int index, Instant at) {
        DemoRegistration registration = registration(index);
        if (registration == null || registration.isRevoked()) {
            return List.of();
        }
        return applyAll(List.of(new Change(Change.REVOKE, registration.id(), at.getEpochSecond()),
                new Change(Change.ENROL, registration.id(), at.getEpochSecond() + 30)));
    }

    /** Undoes a revoke this API made (the demo's own revoked registrations stay revoked). */
    synchronized List<Change> unrevoke(int index) {
        DemoRegistration registration = registration(index);
        return registration == null || !revokedByCall.containsKey(registration.id()) ? List.of()
                : applyAll(List.of(new Change(Change.UNREVOKE, registration.id(), 0)));
    }

    /** Deletes; the user of an active registration enrols again (one already revoked has done so when it was revoked). */
    synchronized List<Change> delete(int index, Instant at) {
        DemoRegistration registration = registration(index);
        if (registration == null) {
            return List.of();
        }
        Change delete = new Change(Change.DELETE, registration.id(), at.getEpochSecond());
        return applyAll(registration.isRevoked() ? List.of(delete)
                : List.of(delete, new Change(Change.ENROL, registration.id(), at.getEpochSecond() + 30)));
    }

    private List<Change> applyAll(List<Change> changes) {
        changes.forEach(this::apply);
        return changes;
    }

    /** Applies a change made today or on an earlier day (read back from the journal); one whose registration is gone does nothing. */
    void apply(Change change) {
        switch (change.kind()) {
            case Change.REVOKE -> revokedByCall.putIfAbsent(change.registrationId(), change.at());
            case Change.UNREVOKE -> revokedByCall.remove(change.registrationId());
            case Change.DELETE -> deletedByCall.add(change.registrationId());
            case Change.ENROL -> enrol(change);
            default -> throw new IllegalArgumentException("unknown change " + change.kind());
        }
    }

    private void enrol(Change change) {
        int removed = parseIndex(change.registrationId(), "reg-");
        if (removed < 0 || removed >= size() || change.registrationId().length() < 17) {
            throw new IllegalArgumentException("not a registration of this fleet: " + change.registrationId());
        }
        Enrolment enrolment;
        if (removed < size) {
            int generation = Integer.parseInt(change.registrationId().substring(13, 17), 16);
            enrolment = new Enrolment(removed, generation, change.at(), device(removed), user(removed));
        } else {
            Enrolment before = enrolments.get(removed - size);
            enrolment = new Enrolment(before.root(), before.rootGeneration(), change.at(), before.device(), before.user());
        }
        synchronized (enrolments) {
            enrolmentsByDevice.computeIfAbsent(enrolment.device(), d -> new CopyOnWriteArrayList<>()).add(size + enrolments.size());
            enrolments.add(enrolment);
        }
    }

    /** The registrations the API created for the device of slot {@code device}. */
    List<Integer> enrolmentsOf(int device) {
        return enrolmentsByDevice.getOrDefault(device, List.of());
    }

    // --- the registrations ----------------------------------------------------------------------

    private DemoRegistration generated(int index) {
        DemoCase kind = DemoCase.of(index, size);
        return kind == DemoCase.LIFECYCLE ? lifecycle(index) : grouped(index, kind);
    }

    /**
     * The slot's registration today. Its period repeats with new draws; {@code t} is the day within
     * the current one, and "day x" below is such a day.
     */
    private DemoRegistration lifecycle(int index) {
        SplittableRandom slot = random(index);
        int period = 120 + slot.nextInt(200);
        // a phase of at least 3 days: on day 0 no slot is between two registrations
        int sinceFirst = day + 3 + slot.nextInt(period - 3);
        int generation = sinceFirst / period;
        int t = sinceFirst % period;
        SplittableRandom life = new SplittableRandom(slot.nextLong() ^ (generation * 0x94D049BB133111EBL));
        int gap = life.nextInt(4);
        int revokeRoll = life.nextInt(100);
        int revokedShare = 18 + life.nextInt(25);
        int backRoll = life.nextInt(100);
        int activeShare = life.nextInt(35);
        int quietShare = life.nextInt(15);
        int activeAgainShare = life.nextInt(15);
        int seenBefore = life.nextInt(2 * DAY);
        int createdBefore = 3 * HOUR + life.nextInt(21 * HOUR);
        int revokedBefore = life.nextInt(12 * HOUR);
        if (t < gap) {
            return null;
        }
        int lived = period - gap;
        int revokedDays = revokeRoll < 40 ? Math.max(5, lived * revokedShare / 100) : 0;
        int seenDays = lived - revokedDays;
        boolean back = backRoll < 45;
        int quietAt = gap + seenDays * (back ? 15 + activeShare * 15 / 35 : 30 + activeShare) / 100;
        int backAt = back ? quietAt + 31 + seenDays * quietShare / 100 : period;
        // it is quiet for a day at least before a revoke: last seen before it
        int quietAgainAt = back ? Math.min(backAt + seenDays * (20 + activeAgainShare) / 100, gap + seenDays - 1) : period;
        int quietSince = t < quietAt ? -1 : t < backAt ? quietAt : t < quietAgainAt ? -1 : quietAgainAt;
        int seenOn = quietSince < 0 ? t : quietSince;
        // on the day it was created, seen at least 2 hours after: never "never used"
        long seenBeforeThatDay = Math.min(seenBefore, (long) (seenOn - gap) * DAY + createdBefore - 2 * HOUR);
        long revoked = revokedDays > 0 && t >= gap + seenDays
                ? dayNow(gap + seenDays, t) - revokedBefore : DemoRegistration.NOT_REVOKED;
        return new DemoRegistration(index, "reg-" + uuid(index, (long) generation << 32, generation & 0xffff), DemoCase.LIFECYCLE,
                dayNow(gap, t) - createdBefore, dayNow(seenOn, t) - seenBeforeThatDay, revoked, index, lifecycleUser(index));
    }

    /** Every third slot the same user; service tokens among them. */
    private static int lifecycleUser(int index) {
        return index % 37 == 0 ? DemoRegistration.NULL_USER : index % 41 == 0 ? DemoRegistration.NO_USER
                : index % 43 == 5 ? DemoRegistration.token(index / 43) : index / 3;
    }

    /** The "now" of day {@code x} of the period, seen from day {@code t}. */
    private long dayNow(int x, int t) {
        return now - (long) (t - x) * DAY;
    }

    /**
     * A member of a group of {@link DemoCase}: the group's draws come from its anchor, so each
     * member computes the same; ages in seconds before now.
     */
    private DemoRegistration grouped(int index, DemoCase kind) {
        int anchor = kind.anchor(index);
        SplittableRandom group = random(anchor);
        long newest = 2 * HOUR + group.nextInt(2 * DAY);
        long step = group.nextInt(60 * DAY);
        long older = group.nextInt(300 * DAY);
        long span = group.nextInt(6 * HOUR);
        int user = anchor / 3;
        long created;
        long seen;
        long revoked = DemoRegistration.NOT_REVOKED;
        switch (kind) {
            case PAIR_OLDER, FAR_OLDER, FAR_OLDER_LATER, TOKEN_OLDER, NEAR_OLDER, BEFORE_REVOKED -> {
                seen = olderSeen(kind, newest, step, span);
                created = seen + 30L * DAY + older;
            }
            case PAIR_NEWER, FAR_NEWER, FAR_NEWER_FIRST, TOKEN_NEWER, NEAR_NEWER, REVOKED_NEWER -> {
                seen = newest;
                // enrolled again a day (half a day for a near duplicate) after the older one was last seen
                created = olderSeen(kind, newest, step, span) - (kind == DemoCase.NEAR_NEWER ? DAY / 2 : DAY);
                if (kind == DemoCase.REVOKED_NEWER) {
                    revoked = newest - HOUR;
                }
            }
            case TRIO_OLDEST -> {
                seen = newest + 40L * DAY + step * 100 / 60;
                created = seen + 30L * DAY + older * 200 / 300;
            }
            case TRIO_MIDDLE -> {
                seen = newest + 9L * DAY + step * 3 / 60;
                created = newest + 40L * DAY + step * 100 / 60 - DAY;
            }
            case TRIO_NEWEST -> {
                seen = newest;
                created = newest + 9L * DAY + step * 3 / 60 - DAY;
            }
            case OTHER_USER_OLDER -> {
                seen = newest + 90L * DAY + step * 200 / 60;
                created = seen + 30L * DAY + older;
            }
            case OTHER_USER_NEWER -> {
                seen = newest;
                created = newest + 10L * DAY + older * 200 / 300;
                user = anchor / 3 + 1;
            }
            case NEVER_USED -> {
                created = 8L * DAY + step * 52 / 60;
                seen = created - 60 - span * 3540 / (6 * HOUR);
            }
            case NEVER_USED_YOUNG -> {
                created = 6L * DAY + span;
                seen = created - 600;
            }
            case USED_AFTER_61_MINUTES -> {
                created = 10L * DAY + step * 15 / 60;
                seen = created - 61 * 60;
            }
            default -> throw new IllegalStateException(kind.name());
        }
        if (kind == DemoCase.TOKEN_OLDER) {
            user = DemoRegistration.NO_USER;
        } else if (kind == DemoCase.TOKEN_NEWER) {
            user = DemoRegistration.NULL_USER;
        }
        return new DemoRegistration(index, "reg-" + uuid(index, 0, 0), kind, now - created, now - seen,
                revoked == DemoRegistration.NOT_REVOKED ? revoked : now - revoked, anchor, user);
    }

    /** The last contact of a pair's older registration, before the newer one's: superseded, or not (a near duplicate, 3 days). */
    private static long olderSeen(DemoCase kind, long newest, long step, long span) {
        return switch (kind) {
            case NEAR_OLDER, NEAR_NEWER -> newest + 3L * DAY + span;
            case TOKEN_OLDER, TOKEN_NEWER -> newest + 10L * DAY + step / 2;
            case BEFORE_REVOKED, REVOKED_NEWER -> newest + 12L * DAY + step / 12;
            default -> newest + 8L * DAY + step;
        };
    }

    private DemoRegistration enrolled(int index) {
        Enrolment enrolment = index - size < enrolments.size() ? enrolments.get(index - size) : null;
        if (enrolment == null || DemoCase.of(enrolment.root(), size) == DemoCase.LIFECYCLE
                && !alive(enrolment.root(), enrolment.rootGeneration())) {
            return null;
        }
        // seen minutes after it was created, then like any active device
        long seen = Math.max(enrolment.created() + 120, now - (index * 7919L) % (2L * DAY));
        return new DemoRegistration(index, "reg-" + uuid(index, 0, 0), DemoCase.RE_ENROLLED, enrolment.created(), seen,
                DemoRegistration.NOT_REVOKED, enrolment.device(), enrolment.user());
    }

    /** Whether the registration of generation {@code generation} of a lifecycle slot still exists today (possibly deleted by the API). */
    private boolean alive(int slot, int generation) {
        DemoRegistration today = lifecycle(slot);
        return today != null && today.id().substring(13, 17).equals(String.format("%04x", generation & 0xffff));
    }

    int device(int index) {
        return index < size ? DemoCase.of(index, size).anchor(index) : enrolments.get(index - size).device();
    }

    private int user(int index) {
        DemoCase kind = DemoCase.of(index, size);
        return kind == DemoCase.LIFECYCLE ? lifecycleUser(index) : grouped(index, kind).user();
    }

    // --- JSON -----------------------------------------------------------------------------------

    /** Writes the registration at {@code index}, which must be listed today. */
    public void write(JsonGenerator json, int index) throws IOException {
        write(json, registration(index));
    }

    void write(JsonGenerator json, DemoRegistration registration) throws IOException {
        int index = registration.index();
        json.writeStartObject();
        json.writeStringField("id", registration.id());
        json.writeStringField("created_at", timestamp(registration.created(), 0));
        json.writeStringField("updated_at", timestamp(Math.max(registration.lastSeen(),
                registration.isRevoked() ? registration.revoked() : Long.MIN_VALUE), 0));
        String lastSeen = lastSeenText(registration);
        if (lastSeen != null) {
            json.writeStringField("last_seen_at", lastSeen);
        }
        json.writeStringField("key", "demo-public-key-" + index);
        json.writeStringField("key_type", index % 3 == 0 ? "curve25519" : "secp256r1");
        json.writeStringField("tunnel_type", index % 3 == 0 ? "wireguard" : "masque");
        json.writeNullField("deleted_at");
        if (registration.isRevoked()) {
            json.writeStringField("revoked_at", timestamp(registration.revoked(), 0));
        } else {
            json.writeNullField("revoked_at");
        }
        json.writeObjectFieldStart("device");
        json.writeStringField("id", deviceId(registration.device()));
        json.writeStringField("name", deviceName(registration.device()));
        String clientVersion = clientVersion(index);
        if (clientVersion != null) {
            json.writeStringField("client_version", clientVersion);
        }
        json.writeEndObject();
        if (registration.user() != DemoRegistration.NO_USER) {
            json.writeFieldName("user");
            writeUser(json, registration.user());
        }
        // Cloudflare adds fields over time; a client must skip what it does not know.
        json.writeObjectFieldStart("posture_hint");
        json.writeBooleanField("demo", true);
        json.writeEndObject();
        json.writeEndObject();
    }

    /** {@code last_seen_at} as listed: unreadable or missing for two lifecycle slots in 499, else the timestamp. */
    String lastSeenText(DemoRegistration registration) {
        int index = registration.index();
        boolean edge = registration.kind() == DemoCase.LIFECYCLE;
        if (edge && index % 499 == 7) {
            return "not-a-timestamp";
        }
        return edge && index % 499 == 11 ? null : timestamp(registration.lastSeen(), index);
    }

    /** A user object, or null for {@link DemoRegistration#NULL_USER} (never called for NO_USER). */
    void writeUser(JsonGenerator json, int user) throws IOException {
        if (user == DemoRegistration.NULL_USER || user == DemoRegistration.NO_USER) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        if (user >= 0) {
            json.writeStringField("id", "usr-" + uuid(user, USER_IDS, -1));
            json.writeStringField("email", "user" + user + "@example.com");
            json.writeStringField("name", "User " + user);
        } else {
            int token = -3 - user;
            json.writeStringField("id", "usr-" + uuid(token, TOKEN_IDS, -1));
            json.writeStringField("email", "non_identity@acme.cloudflareaccess.com");
            json.writeStringField("name", "Service token build-runner-" + token);
        }
        json.writeEndObject();
    }

    String deviceId(int device) {
        return "dev-" + uuid(device, DEVICE_IDS, -1);
    }

    static String deviceName(int device) {
        return DEVICE_NAMES[device % DEVICE_NAMES.length] + " #" + device;
    }

    /** Which of {@link #DEVICE_NAMES} a device is named after: its kind of machine. */
    static int deviceModel(int device) {
        return device % DEVICE_NAMES.length;
    }

    static String clientVersion(int index) {
        return index % 5 == 0 ? null : "2025." + (index % 12 + 1) + ".0";
    }

    private SplittableRandom random(int index) {
        return new SplittableRandom(seed ^ (index * 0xBF58476D1CE4E5B9L));
    }

    /** A stream of its own for a device's details, apart from its slot's. */
    SplittableRandom deviceRandom(int device) {
        return new SplittableRandom(seed ^ (device * 0xD6E8FEB86659FD93L));
    }

    /**
     * A UUID-shaped id starting with {@code number} in hex, so that the API finds it again without
     * memory; {@code second}, its second group, is a registration's generation (-1: random).
     */
    private String uuid(int number, long salt, int second) {
        long bits = new SplittableRandom(seed + number + salt).nextLong();
        return String.format("%08x-%04x-4%03x-a%03x-%012x", number, second < 0 ? (bits >>> 48) & 0xffff : second,
                (bits >>> 36) & 0xfff, (bits >>> 24) & 0xfff, bits & 0xffffffffffffL);
    }

    /** The number an id of this fleet starts with ({@code prefix} and 8 hex digits), or -1. */
    static int parseIndex(String id, String prefix) {
        if (id == null || id.length() < prefix.length() + 8 || !id.startsWith(prefix)) {
            return -1;
        }
        try {
            long index = Long.parseLong(id.substring(prefix.length(), prefix.length() + 8), 16);
            return index <= Integer.MAX_VALUE ? (int) index : -1;
        } catch (NumberFormatException notOurs) {
            return -1;
        }
    }

    /** RFC 3339 in the styles Cloudflare's clients meet: Z or an offset, with or without fractions. */
    static String timestamp(long epochSecond, int style) {
        String offset = OFFSETS[style % OFFSETS.length];
        var zoned = Instant.ofEpochSecond(epochSecond).atOffset(offset.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(offset));
        String text = zoned.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));
        if (style % 7 == 3) {
            text += "." + String.format("%06d", style % 1_000_000);
        }
        return text + offset;
    }

    /** The registrations listed today of the slots {@code members} and of what the API created for {@code device}. */
    List<DemoRegistration> registrationsOf(int device, int[] members) {
        List<DemoRegistration> listed = new ArrayList<>(members.length + 1);
        for (int member : members) {
            DemoRegistration registration = registration(member);
            if (registration != null) {
                listed.add(registration);
            }
        }
        for (int enrolled : enrolmentsOf(device)) {
            DemoRegistration registration = registration(enrolled);
            if (registration != null) {
                listed.add(registration);
            }
        }
        return listed;
    }
}
