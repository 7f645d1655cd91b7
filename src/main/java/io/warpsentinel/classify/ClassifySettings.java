package io.warpsentinel.classify;

import static io.warpsentinel.settings.SettingGroup.EXCLUSIONS;
import static io.warpsentinel.settings.SettingGroup.SCAN;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What makes a registration a finding: the rules' windows, whether findings carry their devices' details, and what is never one. */
public record ClassifySettings(StalePolicy stalePolicy, StaleWindows windows, Duration supersededAfter, Duration neverUsedWithin,
                               Duration neverUsedAfter, boolean withDevices, Exclusions exclusions) {

    /** How a name=window list is written, for both lists' kind. */
    private static final String NAMED_WINDOWS = "comma-separated name=window entries, each window an ISO-8601 duration above zero; "
            + "a name holding a comma, an = or a quote in double quotes, a quote inside doubled";

    public static final Setting<StalePolicy> STALE_AFTER = SCAN.of("sentinel.stale-after", "P30D",
            "an ISO-8601 duration above zero such as P30D, P4W or P3M",
            "A registration not revoked and last seen longer ago than this is stale. P30D and PT36H are exact durations; "
                    + "P4W, P3M and P1Y are calendar periods counted back in UTC.", ClassifySettings::stalePolicy);
    public static final Setting<Map<String, StalePolicy>> STALE_AFTER_POLICIES = SCAN.of("sentinel.stale-after.policies", "", NAMED_WINDOWS,
            "A stale-after window per device profile, by its name as Cloudflare shows it (compared exactly), e.g. "
                    + "`Contractors=P14D,Kiosks=P180D`; a name with a comma, an = or a quote is written in double quotes, a quote "
                    + "inside doubled: `\"Sales, EMEA\"=P14D`. A registration of such a profile is judged by its window, before any "
                    + "platform's and sentinel.stale-after. Adds `include=policy` to every page request. A name no registration of "
                    + "a complete scan carries is named in a WARN.", NamedWindows::profiles);
    public static final Setting<Map<String, StalePolicy>> STALE_AFTER_PLATFORMS = SCAN.of("sentinel.stale-after.platforms", "",
            NAMED_WINDOWS,
            "A stale-after window per platform, by the device_type of Cloudflare's inventory of physical devices (windows, mac, "
                    + "linux, android, ios, chromeos; any case), e.g. `ios=P60D,android=P60D`: it judges a registration without a "
                    + "profile window whose device's details are known, so it needs sentinel.devices.enrich. A registration whose "
                    + "platform is unknown (details unavailable, device not in the inventory) is judged by sentinel.stale-after, "
                    + "and the report says how many were.", NamedWindows::platforms);
    public static final Setting<Duration> SUPERSEDED_AFTER = SCAN.duration("sentinel.superseded-after", "P7D",
            "A registration not revoked is superseded when another registration of the same device and the same user (the same "
                    + "user.id, or both without a user), not revoked, was last seen at least this long after it: the device enrolled "
                    + "again. A registration of another user on the same device never supersedes it.");
    public static final Setting<Duration> NEVER_USED_WITHIN = SCAN.duration("sentinel.never-used-within", "PT1H",
            "A registration not revoked and last seen within this long of its created_at was never used (when it was created more "
                    + "than sentinel.never-used-after ago).");
    public static final Setting<Duration> NEVER_USED_AFTER = SCAN.duration("sentinel.never-used-after", "P7D",
            "A registration is judged never-used only once it was created more than this long ago: a device enrolled yesterday "
                    + "may not have connected yet.");
    public static final Setting<Boolean> DEVICES_ENRICH = SCAN.flag("sentinel.devices.enrich", "true",
            "Look the findings' devices up in Cloudflare's inventory of physical devices (platform, OS version, maker, model, "
                    + "serial number, the device's last contact and active registrations), in no more requests than the listing took: "
                    + "by id after the listing, or the whole inventory, beside the listing when its first page shows that this takes "
                    + "fewer requests. Refused or failing, the report is complete and says the details are unavailable, and why.");
    public static final Setting<List<String>> EXCLUDE_USER_EMAILS = EXCLUSIONS.list("sentinel.exclude.user-emails", "",
            "Registrations of these users are never findings: e-mail globs (`*` any run of characters, `?` one), comma-separated, "
                    + "case-insensitive, e.g. `kiosk-*@example.com,*@lab.example.com`.");
    public static final Setting<Pattern> EXCLUDE_DEVICE_NAMES = EXCLUSIONS.of("sentinel.exclude.device-names", "",
            "a regular expression (Java syntax)",
            "Devices whose whole name matches this regular expression are never findings, e.g. `KIOSK-.*|LAB-[0-9]+`.",
            Exclusions::deviceNamePattern);
    public static final Setting<List<String>> EXCLUDE_REGISTRATION_IDS = EXCLUSIONS.list("sentinel.exclude.registration-ids", "",
            "Registration ids that are never findings, comma-separated.");
    public static final Setting<List<String>> EXCLUDE_POLICY_NAMES = EXCLUSIONS.list("sentinel.exclude.policy-names", "",
            "Device policy names (globs) whose registrations are never findings; adds `include=policy` to every page request.");

    public static final List<Setting<?>> ALL = List.of(STALE_AFTER, STALE_AFTER_POLICIES, STALE_AFTER_PLATFORMS, SUPERSEDED_AFTER,
            NEVER_USED_WITHIN, NEVER_USED_AFTER, DEVICES_ENRICH, EXCLUDE_USER_EMAILS, EXCLUDE_DEVICE_NAMES, EXCLUDE_REGISTRATION_IDS,
            EXCLUDE_POLICY_NAMES);

    public static ClassifySettings read(SettingsSource source) {
        StalePolicy stalePolicy = STALE_AFTER.read(source);
        return new ClassifySettings(stalePolicy, new StaleWindows(stalePolicy, STALE_AFTER_POLICIES.read(source),
                STALE_AFTER_PLATFORMS.read(source)), SUPERSEDED_AFTER.read(source), NEVER_USED_WITHIN.read(source),
                NEVER_USED_AFTER.read(source), DEVICES_ENRICH.read(source), new Exclusions(EXCLUDE_USER_EMAILS.read(source),
                EXCLUDE_DEVICE_NAMES.read(source), EXCLUDE_REGISTRATION_IDS.read(source), EXCLUDE_POLICY_NAMES.read(source)));
    }

    /** Whether the listing (and a re-check) asks for each registration's device profile: exclusions or windows by profile need it. */
    public boolean needsPolicy() {
        return exclusions.needsPolicy() || windows.hasProfiles();
    }

    /**
     * Why the platforms' windows can never apply, for the start-up's WARN and the validation's
     * checklist; null when they can (or there are none).
     */
    public String platformWindowsProblem() {
        return windows.hasPlatforms() && !withDevices
                ? STALE_AFTER_PLATFORMS.key() + " is set, but " + DEVICES_ENRICH.key() + " is false: no registration's platform is "
                        + "known, so those windows never apply and sentinel.stale-after judges instead. Turn the devices' look-up on "
                        + "(it needs Zero Trust Read, like the listing)"
                : null;
    }

    private static StalePolicy stalePolicy(String value) {
        try {
            return StalePolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(); // the setting's message says what it must be
        }
    }
}
