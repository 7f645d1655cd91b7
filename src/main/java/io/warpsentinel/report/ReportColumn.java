package io.warpsentinel.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.finding.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of a finding, in report order: the CSV's header and the JSON findings' keys come
 * from this one list, so the two formats cannot drift apart.
 */
public enum ReportColumn {
    REGISTRATION_ID("registration_id", v -> v.registration().id()),
    DEVICE_ID("device_id", v -> v.registration().deviceId()),
    DEVICE_NAME("device_name", v -> v.registration().deviceName()),
    USER_ID("user_id", v -> v.registration().userId()),
    USER_EMAIL("user_email", v -> v.registration().userEmail()),
    USER_NAME("user_name", v -> v.registration().userName()),
    LAST_SEEN_AT("last_seen_at", v -> v.registration().lastSeenAt()),
    REVOKED_AT("revoked_at", v -> v.registration().revokedAt()),
    DAYS_SINCE_SEEN("days_since_seen", Verdict::daysSinceSeen),
    REASON("reason", v -> v.reason().label()),
    KEY_TYPE("key_type", v -> v.registration().keyType()),
    TUNNEL_TYPE("tunnel_type", v -> v.registration().tunnelType()),
    CLIENT_VERSION("client_version", v -> v.registration().clientVersion()),
    NOTE("note", Verdict::note),
    // Appended last, so the columns before them keep their places for existing readers.
    CHANGE("change", v -> v.change() == null ? null : v.change().label()),
    FINDING_SINCE("finding_since", v -> v.findingSince() == null ? null : v.findingSince().toString());

    static final ReportColumn[] ALL = values();

    final String header;
    private final Function<Verdict, Object> value;

    ReportColumn(String header, Function<Verdict, Object> value) {
        this.header = header;
        this.value = value;
    }

    /** A String, a Long ({@code days_since_seen}) or null. */
    Object valueOf(Verdict verdict) {
        return value.apply(verdict);
    }

    /** A finding as plain data, keyed and ordered as the CSV's columns and the JSON report's findings. */
    public static Map<String, Object> finding(Verdict verdict) {
        Map<String, Object> finding = new LinkedHashMap<>();
        for (ReportColumn column : ALL) {
            finding.put(column.header, column.valueOf(verdict));
        }
        return finding;
    }

    static ObjectNode findingJson(Verdict verdict) {
        return new ObjectMapper().valueToTree(finding(verdict));
    }
}
