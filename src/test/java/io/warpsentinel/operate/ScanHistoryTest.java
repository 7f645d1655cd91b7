package io.warpsentinel.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanHistoryTest {

    @TempDir
    Path folder;

    @Test
    void eachAccountsLastCompleteScanIsReadOnceThenKeptUpToDate() throws Exception {
        Path file = folder.resolve("history.jsonl");
        Files.writeString(file, """
                {"account_id":"a","run_started_at":"1","complete":true,"stale":1}
                {"account_id":"b","run_started_at":"1","complete":true,"stale":7}
                {"account_id":"a","run_started_at":"2","complete":false,"failure":"x"}
                {"account_id":"a","run_started_at":"3","complete":tr
                {"account_id":"a","run_started_at":"4","complete":true,"stale":4}
                """);
        ScanHistory history = new ScanHistory(file, PrivateFiles.ownerOnly());

        assertThat(history.lastComplete("a")).hasValueSatisfying(entry -> assertThat(entry.get("stale").asInt()).isEqualTo(4));
        assertThat(history.lastComplete("c")).isEmpty();

        // the file is not read again: what this process appends is what counts
        Files.writeString(file, "");
        history.append(history.newEntry().put("account_id", "b").put("run_started_at", "5").put("complete", true).put("stale", 9));
        history.append(history.newEntry().put("account_id", "a").put("run_started_at", "5").put("complete", false));
        assertThat(history.lastComplete("b")).hasValueSatisfying(entry -> assertThat(entry.get("stale").asInt()).isEqualTo(9));
        assertThat(history.lastComplete("a")).hasValueSatisfying(entry -> assertThat(entry.get("stale").asInt()).isEqualTo(4));
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void theIndexAndTheChartsReadTheFileAnewKeepingOnlyWhatTheyShow() throws Exception {
        Path file = folder.resolve("history.jsonl");
        Files.writeString(file, """
                {"account_id":"a","run_started_at":"2026-01-01T06:00:00Z","complete":true,"stale":1,"revoked":2,"findings":3,"new":3}
                {"account_id":"b","run_started_at":"2026-01-01T06:00:00Z","complete":false,"failure":"Cloudflare answered HTTP 403"}
                {"account_id":"a","run_started_at":"2026-01-02T06:00:00Z","complete":tr
                {"account_id":"a","run_started_at":"2026-01-03T06:00:00Z","complete":true,"outcome":"complete","stale":4,"findings":4,"new":1}
                {"account_id":"a","run_started_at":"2026-01-04T06:00:00Z","complete":false,"outcome":"withheld","failure":"Suspect scan withheld: it listed 0"}
                not json
                {"run_started_at":"2026-01-04T06:00:00Z","complete":true}
                """);
        ScanHistory history = new ScanHistory(file, PrivateFiles.ownerOnly());

        SortedMap<String, ScanHistory.AccountRuns> accounts = history.latestByAccount(2);
        assertThat(accounts).containsOnlyKeys("a", "b");
        ScanHistory.AccountRuns a = accounts.get("a");
        assertThat(a.latest()).extracting(ScanRecord::outcome).containsExactly(ScanOutcome.COMPLETE, ScanOutcome.WITHHELD);
        assertThat(a.last().why()).startsWith("Suspect scan withheld");
        assertThat(a.lastComplete().runStartedAt()).isEqualTo(Instant.parse("2026-01-03T06:00:00Z"));
        assertThat(a.lastComplete().count(Reason.STALE)).isEqualTo(4);
        assertThat(a.lastComplete().count(Reason.SUPERSEDED)).as("a reason the entry has no count of").isZero();
        assertThat(a.lastComplete().newFindings()).isEqualTo(1);
        ScanHistory.AccountRuns b = accounts.get("b");
        assertThat(b.last().outcome()).as("an entry from before outcomes were recorded").isEqualTo(ScanOutcome.FAILED);
        assertThat(b.lastComplete()).isNull();

        assertThat(history.completeSince("a", Instant.parse("2026-01-01T00:00:00Z"), 10)).extracting(ScanRecord::findings)
                .containsExactly(3L, 4L);
        assertThat(history.completeSince("a", Instant.parse("2026-01-02T00:00:00Z"), 10)).extracting(ScanRecord::findings)
                .containsExactly(4L);
        assertThat(history.completeSince("a", Instant.EPOCH, 1)).as("the latest only").extracting(ScanRecord::findings)
                .containsExactly(4L);

        // read anew: what another instance appended counts
        Files.writeString(file, "{\"account_id\":\"c\",\"run_started_at\":\"2026-01-05T06:00:00Z\",\"complete\":true}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(history.latestByAccount(2)).containsOnlyKeys("a", "b", "c");
    }
}
