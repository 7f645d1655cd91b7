package io.warpsentinel.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The run history: one JSON line per account scan, appended whether or not the scan completed,
 * so an operator can follow trends with {@code jq} and a report can show what changed since
 * the account's previous complete scan. A line is written with one append, never rewritten.
 * The file is read once, on first use, for each account's last complete scan; after that this
 * process keeps them up to date itself (a history of years is not re-read for every account).
 * What the report index and a report's chart show ({@link #latestByAccount}, {@link #completeSince})
 * is read anew each time, one line at a time, keeping only what they show: in a cluster, other
 * instances append to the same file.
 */
public final class ScanHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final PrivateFiles files;
    private Map<String, JsonNode> lastComplete;

    public ScanHistory(Path file, PrivateFiles files) {
        this.file = file;
        this.files = files;
    }

    public ObjectNode newEntry() {
        return JSON.createObjectNode();
    }

    public synchronized void append(ObjectNode entry) {
        try (FileChannel channel = files.append(file); Writer out = PrivateFiles.writer(Channels.newOutputStream(channel))) {
            out.write(entry.toString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the run history " + file.toAbsolutePath() + " (sentinel.history.file): " + e, e);
        }
        if (lastComplete != null && entry.path("complete").asBoolean()) {
            lastComplete.put(entry.path("account_id").asText(), entry);
        }
    }

    /** The account's last complete scan, if the history has one. */
    public synchronized Optional<JsonNode> lastComplete(String accountId) {
        if (lastComplete == null) {
            lastComplete = readLastComplete();
        }
        return Optional.ofNullable(lastComplete.get(accountId));
    }

    /** When a history entry's scan ended, in Unix seconds; 0 when the entry does not say. */
    public static long endedAtEpochSecond(JsonNode entry) {
        try {
            return Instant.parse(entry.path("ended_at").asText()).getEpochSecond();
        } catch (DateTimeException unreadable) {
            return 0;
        }
    }

    /**
     * An account's latest scans: its last entries, oldest first (never empty), and its last
     * complete scan, which may be older than all of them.
     */
    public record AccountRuns(List<ScanRecord> latest, ScanRecord lastComplete) {
        public ScanRecord last() {
            return latest.get(latest.size() - 1);
        }
    }

    /** Every account's last {@code runs} scans and its last complete one, by account id in order (the report index). */
    public SortedMap<String, AccountRuns> latestByAccount(int runs) {
        Map<String, ArrayDeque<ScanRecord>> latest = new HashMap<>();
        Map<String, ScanRecord> lastComplete = new HashMap<>();
        forEachEntry(entry -> {
            ScanRecord scan = ScanRecord.of(entry);
            if (scan == null) {
                return;
            }
            keepLast(latest.computeIfAbsent(scan.accountId(), id -> new ArrayDeque<>()), scan, runs);
            if (scan.isComplete()) {
                lastComplete.put(scan.accountId(), scan);
            }
        });
        SortedMap<String, AccountRuns> accounts = new TreeMap<>();
        latest.forEach((accountId, scans) -> accounts.put(accountId, new AccountRuns(List.copyOf(scans), lastComplete.get(accountId))));
        return accounts;
    }

    /** The account's complete scans that started at or after {@code since}, oldest first, the latest {@code max} of them (a report's chart). */
    public List<ScanRecord> completeSince(String accountId, Instant since, int max) {
        ArrayDeque<ScanRecord> scans = new ArrayDeque<>();
        forEachEntry(entry -> {
            // cheap tests first: most lines are other accounts'
            if (entry.path("complete").asBoolean() && accountId.equals(entry.path("account_id").asText())) {
                ScanRecord scan = ScanRecord.of(entry);
                if (scan != null && scan.isComplete() && !scan.runStartedAt().isBefore(since)) {
                    keepLast(scans, scan, max);
                }
            }
        });
        return List.copyOf(scans);
    }

    private static void keepLast(ArrayDeque<ScanRecord> scans, ScanRecord scan, int max) {
        scans.addLast(scan);
        if (scans.size() > max) {
            scans.removeFirst();
        }
    }

    /** Each account's last complete scan in the file. */
    private Map<String, JsonNode> readLastComplete() {
        Map<String, JsonNode> last = new HashMap<>();
        forEachEntry(entry -> {
            if (entry.path("complete").asBoolean()) {
                last.put(entry.path("account_id").asText(), entry);
            }
        });
        return last;
    }

    /** Each entry of the file, in order, one line at a time. A damaged line is skipped, not fatal. */
    private void forEachEntry(Consumer<JsonNode> action) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        // an InputStreamReader replaces bytes that are not UTF-8 (a line cut mid-character) instead of failing
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode entry;
                try {
                    entry = JSON.readTree(line);
                } catch (IOException damaged) {
                    // a line cut short by a crash: the lines before and after still count
                    continue;
                }
                if (entry != null && entry.isObject()) {
                    action.accept(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the run history " + file.toAbsolutePath() + " (sentinel.history.file): " + e, e);
        }
    }
}
