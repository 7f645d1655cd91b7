package io.warpsentinel.deliver;

import static io.warpsentinel.settings.SettingGroup.DELIVERY;
import static io.warpsentinel.settings.SettingGroup.OWNER_NOTICES;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.nio.file.Path;
import java.util.List;

/** What every channel shares: its retries (read by the routes' error handling), the dead letters, and the owner notices' text. */
public record DeliverySettings(Path deadLetterDir, String noticeSubject, String noticeBody) {

    public static final Setting<Integer> MAX_RETRIES = DELIVERY.count("sentinel.delivery.max-retries", "3", 0,
            "Retries of a failed delivery (SMTP refused, webhook 5xx, timeout) before it becomes a dead letter.");
    public static final Setting<Integer> INITIAL_DELAY = DELIVERY.count("sentinel.delivery.initial-delay", "2000", 0,
            "Milliseconds before the first delivery retry; doubled on each retry, with +/-15% jitter.");
    public static final Setting<Integer> MAX_DELAY = DELIVERY.count("sentinel.delivery.max-delay", "60000", 0,
            "Longest delay between two delivery retries, milliseconds.");
    public static final Setting<String> DEAD_LETTER_DIR = DELIVERY.required("sentinel.dead-letter.dir", "dead-letters",
            "Folder that keeps what could not be delivered: the message and a .json with the reason (created when needed).");
    public static final Setting<String> NOTICE_SUBJECT = OWNER_NOTICES.required("sentinel.owner-notice.subject",
            "Your device has not connected to the company network for a while", "Subject of owner notices; {count} is the number of devices.");
    public static final Setting<String> NOTICE_BODY = OWNER_NOTICES.required("sentinel.owner-notice.body",
            "Hello {user},\\n\\nThese devices registered to you in Cloudflare WARP look unused, each for the reason given:"
                    + "\\n\\n{devices}\\n\\nIf you still use a device, open the WARP client on it and connect. If you no longer use it, "
                    + "reply to this message so IT can remove its registration.\\n\\nThis message was sent automatically by warp-sentinel.",
            "Text of owner notices; {user}, {devices} (one line per device: its name, when last seen, its registration and why it is "
                    + "named: stale (with the stale-after window that judged it), superseded or never used), {count}, {stale_after} "
                    + "(sentinel.stale-after, the default window: a device judged by a named window has its own in {devices}) and "
                    + "{account} are replaced.");

    public static final List<Setting<?>> ALL = List.of(MAX_RETRIES, INITIAL_DELAY, MAX_DELAY, DEAD_LETTER_DIR, NOTICE_SUBJECT, NOTICE_BODY);

    public static DeliverySettings read(SettingsSource source) {
        return new DeliverySettings(Path.of(DEAD_LETTER_DIR.read(source)), NOTICE_SUBJECT.read(source), NOTICE_BODY.read(source));
    }
}
