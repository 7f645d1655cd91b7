package io.warpsentinel.report;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.finding.Verdict;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The columns of a finding, declared once: the CSV's header and the JSON findings' keys come
 * from this list, in its order, so the two formats cannot drift apart; a column the HTML findings
 * table shows declares how ({@link HtmlColumn}: its place, heading, kind, and whether it sorts and
 * filters), and the table, its rows and its script follow. A new column is one constant here,
 * appended last so the columns before it keep their places for existing readers.
 */
public enum ReportColumn {
    REGISTRATION_ID("registration_id", v -> v.registration().id(), HtmlColumn.text(80, "registration").keptOnOneLine()),
    DEVICE_ID("device_id", v -> v.registration().deviceId()),
    DEVICE_NAME("device_name", v -> v.registration().deviceName(), HtmlColumn.text(50, "device")),
    USER_ID("user_id", v -> v.registration().userId()),
    USER_EMAIL("user_email", v -> v.registration().userEmail(),
            HtmlColumn.text(70, "user").showing(ReportColumn::owner)),
    USER_NAME("user_name", v -> v.registration().userName()),
    LAST_SEEN_AT("last_seen_at", v -> v.registration().lastSeenAt(),
            HtmlColumn.time(10, "last seen").withLineUnder(ReportColumn::ago)),
    REVOKED_AT("revoked_at", v -> v.registration().revokedAt()),
    DAYS_SINCE_SEEN("days_since_seen", Verdict::daysSinceSeen),
    REASON("reason", v -> v.reason().label(), HtmlColumn.text(20, "reason")),
    KEY_TYPE("key_type", v -> v.registration().keyType()),
    TUNNEL_TYPE("tunnel_type", v -> v.registration().tunnelType()),
    CLIENT_VERSION("client_version", v -> v.registration().clientVersion(), HtmlColumn.text(60, "client version")),
    NOTE("note", Verdict::note, HtmlColumn.text(90, "note")),
    // Appended last, so the columns before them keep their places for existing readers.
    CHANGE("change", v -> v.change() == null ? null : v.change().label(), HtmlColumn.text(30, "change")),
    FINDING_SINCE("finding_since", v -> v.findingSince() == null ? null : v.findingSince().toString(), HtmlColumn.time(40, "open since")),
    SUPERSEDED_BY("superseded_by", v -> v.supersededBy() == null ? null : v.supersededBy().registrationId()),
    ENROLLED_BY("enrolled_by", Verdict::enrolledBy),
    STALE_AFTER("stale_after", Verdict::staleAfter),
    // the device's details from Cloudflare's inventory (sentinel.devices.enrich), empty where unavailable
    DEVICE_TYPE("device_type", v -> v.device() == null ? null : v.device().deviceType(),
            HtmlColumn.text(55, "platform").showing(ReportColumn::platform)),
    OS_VERSION("os_version", v -> v.device() == null ? null : v.device().osVersion()),
    MANUFACTURER("manufacturer", v -> v.device() == null ? null : v.device().manufacturer()),
    MODEL("model", v -> v.device() == null ? null : v.device().model(),
            HtmlColumn.text(56, "model").showing(ReportColumn::model)),
    SERIAL_NUMBER("serial_number", v -> v.device() == null ? null : v.device().serialNumber(), HtmlColumn.text(57, "serial number")),
    DEVICE_LAST_SEEN_AT("device_last_seen_at", v -> v.device() == null ? null : v.device().lastSeenAt()),
    DEVICE_ACTIVE_REGISTRATIONS("device_active_registrations", v -> v.device() == null ? null : v.device().activeRegistrations());

    static final ReportColumn[] ALL = values();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The columns the HTML findings table shows, in the table's order. */
    static final List<HtmlColumn> IN_TABLE = Arrays.stream(ALL).map(column -> column.shown).filter(Objects::nonNull)
            .sorted(Comparator.comparingInt(HtmlColumn::place)).toList();

    final String header;
    // the JSON key, encoded once: a million findings write it a million times
    final SerializedString jsonKey;
    private final Function<Verdict, Object> value;
    /** How the HTML findings table shows it; null when the table does not. */
    final HtmlColumn shown;

    ReportColumn(String header, Function<Verdict, Object> value) {
        this(header, value, null);
    }

    ReportColumn(String header, Function<Verdict, Object> value, HtmlColumn shown) {
        this.header = header;
        this.jsonKey = new SerializedString(header);
        this.value = value;
        this.shown = shown == null ? null : shown.orShowing(row -> row.get(this));
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
        return MAPPER.valueToTree(finding(verdict));
    }

    // What the HTML table's cells show, made from a row's columns (methods: an enum constant's
    // initializer may not name the constants).

    /** "mac 14.5": the platform and its version, as the table shows them in one cell (and the platform breakdown counts them). */
    static String platform(String deviceType, String osVersion) {
        return deviceType == null ? osVersion : osVersion == null ? deviceType : deviceType + " " + osVersion;
    }

    private static String platform(ReportRow row) {
        return platform(row.text(DEVICE_TYPE), row.text(OS_VERSION));
    }

    /** "Apple MacBookPro18,3" */
    private static String model(ReportRow row) {
        String manufacturer = row.text(MANUFACTURER);
        String model = row.text(MODEL);
        return manufacturer == null ? model : model == null ? manufacturer : manufacturer + " " + model;
    }

    /** The table has one column for the user: the e-mail, or the name of a user without one. */
    private static String owner(ReportRow row) {
        return row.text(USER_EMAIL) != null ? row.text(USER_EMAIL) : row.text(USER_NAME);
    }

    /** How long ago it was last seen: "151 days ago". */
    private static String ago(ReportRow row) {
        return Wording.ago((Long) row.get(DAYS_SINCE_SEEN));
    }
}
