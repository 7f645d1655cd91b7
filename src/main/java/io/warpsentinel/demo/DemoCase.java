package io.warpsentinel.demo;

/**
 * What a slot of a {@link DemoFleet} shows. Each block of {@link #BLOCK} slots holds the same
 * positions: position 10 of every block is a {@link #PAIR_OLDER}, and so on; the slots no case
 * claims live the {@link #LIFECYCLE}. A group's members share its first slot's (the anchor's)
 * device; a far member sits {@link #FAR} slots after its anchor, so that it comes one or more
 * pages later at 1,000, 700 or 20 registrations per page (an anchor whose far member would fall
 * past the fleet's end stands alone). The ages are those of the newest member's last contact
 * (under two days) plus what each case says, the same on every demo day.
 */
public enum DemoCase {

    /** Current, stale, revoked, deleted and enrolled again as the demo's days go by. */
    LIFECYCLE(-1),
    /** Superseded: last seen 8 to 68 days before {@link #PAIR_NEWER}, its next slot (same device, same user). */
    PAIR_OLDER(10),
    PAIR_NEWER(11),
    /** Superseded like {@link #PAIR_OLDER}, by {@link #FAR_NEWER}, pages later. */
    FAR_OLDER(20),
    FAR_NEWER(21),
    /** The newer registration first; {@link #FAR_OLDER_LATER}, pages later, is superseded by it. */
    FAR_NEWER_FIRST(30),
    FAR_OLDER_LATER(31),
    /** Three registrations of one device and user: the oldest and the middle one are superseded by the newest. */
    TRIO_OLDEST(40),
    /** Last seen 9 to 12 days before the newest. */
    TRIO_MIDDLE(41),
    TRIO_NEWEST(42),
    /** Not superseded: last seen only 3 days before {@link #NEAR_NEWER}, pages later. */
    NEAR_OLDER(50),
    NEAR_NEWER(51),
    /** Not superseded: one device in multi-user mode, this user's registration 90 to 290 days older than another user's (stale). */
    OTHER_USER_OLDER(60),
    OTHER_USER_NEWER(61),
    /** No {@code user} at all (a service token), superseded by {@link #TOKEN_NEWER} ({@code user: null}), 10 to 40 days newer. */
    TOKEN_OLDER(70),
    TOKEN_NEWER(71),
    /** Not superseded: the newer registration of its device and user, 12 to 17 days newer, is revoked; seen within 30 days. */
    BEFORE_REVOKED(80),
    REVOKED_NEWER(81),
    /** Never used: created 8 to 60 days ago and last seen within the hour after. */
    NEVER_USED(90),
    /** Not never-used, too young: created 6 days ago and last seen 10 minutes after. */
    NEVER_USED_YOUNG(91),
    /** Not never-used: created 10 to 25 days ago, last seen 61 minutes after. */
    USED_AFTER_61_MINUTES(92),
    /** A registration the demo's API created when it revoked or deleted an active one: its user connected again. */
    RE_ENROLLED(-1);

    /** The slots of a block; positions repeat every block. */
    public static final int BLOCK = 200;
    /** How far a group's far member sits after its anchor: past a page of 1,000. */
    public static final int FAR = 1001;

    private static final DemoCase[] AT = new DemoCase[BLOCK];

    static {
        for (DemoCase c : values()) {
            if (c.position >= 0) {
                AT[c.position] = c;
            }
        }
    }

    private final int position;

    DemoCase(int position) {
        this.position = position;
    }

    /** Its position in each block, or -1 for the cases that have none. */
    public int position() {
        return position;
    }

    /** The case of slot {@code index} in a fleet of {@code size} slots. */
    public static DemoCase of(int index, int size) {
        DemoCase c = AT[index % BLOCK];
        if (c == null) {
            return LIFECYCLE;
        }
        if (c.isFarMember()) {
            return index >= FAR ? c : LIFECYCLE;
        }
        return c;
    }

    /** The first slot of the group that slot {@code index} (of this case) belongs to: its device. */
    public int anchor(int index) {
        return switch (this) {
            case PAIR_NEWER, OTHER_USER_NEWER, TOKEN_NEWER, REVOKED_NEWER, TRIO_MIDDLE -> index - 1;
            case TRIO_NEWEST -> index - 2;
            case FAR_NEWER, FAR_OLDER_LATER, NEAR_NEWER -> index - FAR;
            default -> index;
        };
    }

    /** The slots of the group anchored at {@code anchor} (of this case), within a fleet of {@code size}. */
    public int[] members(int anchor, int size) {
        return switch (this) {
            case PAIR_OLDER, OTHER_USER_OLDER, TOKEN_OLDER, BEFORE_REVOKED -> new int[] {anchor, anchor + 1};
            case TRIO_OLDEST -> new int[] {anchor, anchor + 1, anchor + 2};
            case FAR_OLDER, FAR_NEWER_FIRST, NEAR_OLDER -> anchor + FAR < size ? new int[] {anchor, anchor + FAR} : new int[] {anchor};
            default -> new int[] {anchor};
        };
    }

    private boolean isFarMember() {
        return this == FAR_NEWER || this == FAR_OLDER_LATER || this == NEAR_NEWER;
    }
}
