package io.warpsentinel.operate;

import com.fasterxml.jackson.databind.JsonNode;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One account scan as the run history has it, reduced to what the report index and a report's
 * chart show: when, how it ended, and for a complete one its findings by reason and how many were
 * new. A history of years is read into these, never kept as JSON trees.
 *
 * @param endedAt  when the scan ended; null when the entry does not say
 * @param byReason findings by reason, every finding reason (0 for one the entry has no count of: it came later)
 * @param why      why it did not complete, or for a complete scan what its run left for a person
 *                 (its history entry's {@code attention}: remediation halted or failed, a report not
 *                 delivered); null when neither
 */
public record ScanRecord(String accountId, Instant runStartedAt, Instant endedAt, ScanOutcome outcome, Map<Reason, Long> byReason,
                         long findings, long newFindings, String why) {

    /** The entry read, or null when it names no account or run start (a line damaged or not ours). */
    static ScanRecord of(JsonNode entry) {
        String accountId = entry.path("account_id").asText("");
        Instant startedAt = instant(entry.path("run_started_at").asText(""));
        if (accountId.isEmpty() || startedAt == null) {
            return null;
        }
        Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.findings()) {
            byReason.put(reason, entry.path(reason.label()).asLong(0));
        }
        ScanOutcome outcome = ScanOutcome.of(entry.path("outcome").asText(""), entry.path("complete").asBoolean());
        return new ScanRecord(accountId, startedAt, instant(entry.path("ended_at").asText("")), outcome,
                Collections.unmodifiableMap(byReason), entry.path("findings").asLong(0), entry.path(Change.NEW.label()).asLong(0),
                entry.path(outcome == ScanOutcome.COMPLETE ? "attention" : "failure").asText(null));
    }

    public boolean isComplete() {
        return outcome == ScanOutcome.COMPLETE;
    }

    public long count(Reason reason) {
        return byReason.getOrDefault(reason, 0L);
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeException unreadable) {
            return null;
        }
    }
}
