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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run history: one JSON line per account scan, appended whether or not the scan completed,
 * so an operator can follow trends with {@code jq} and a report can show what changed since
 * the account's previous complete scan. A line is written with one append, never rewritten.
 * The file is read once, on first use, for each account's last complete scan; after that this
 * process keeps them up to date itself (a history of years is not re-read for every account).
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

    /** Each account's last complete scan in the file. A damaged line is skipped, not fatal. */
    private Map<String, JsonNode> readLastComplete() {
        Map<String, JsonNode> last = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return last;
        }
        // an InputStreamReader replaces bytes that are not UTF-8 (a line cut mid-character) instead of failing
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try {
                    JsonNode entry = JSON.readTree(line);
                    if (entry != null && entry.path("complete").asBoolean()) {
                        last.put(entry.path("account_id").asText(), entry);
                    }
                } catch (IOException damaged) {
                    // a line cut short by a crash: the lines before and after still count
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the run history " + file.toAbsolutePath() + " (sentinel.history.file): " + e, e);
        }
        return last;
    }
}
