package io.warpsentinel.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.files.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
