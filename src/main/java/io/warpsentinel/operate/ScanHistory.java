package io.warpsentinel.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The run history: one JSON line per account scan, appended whether or not the scan completed,
 * so an operator can follow trends with {@code jq} and a report can show what changed since
 * the account's previous complete scan. A line is written with one append, never rewritten.
 */
public final class ScanHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ScanHistory(Path file) {
        this.file = file;
    }

    public ObjectNode newEntry() {
        return JSON.createObjectNode();
    }

    public synchronized void append(ObjectNode entry) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, entry.toString() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the run history " + file.toAbsolutePath() + " (sentinel.history.file): " + e, e);
        }
    }

    /** The account's last complete scan, if the history has one. A damaged line is skipped, not fatal. */
    public synchronized Optional<JsonNode> lastComplete(String accountId) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode last = null;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try {
                    JsonNode entry = JSON.readTree(line);
                    if (entry != null && accountId.equals(entry.path("account_id").asText()) && entry.path("complete").asBoolean()) {
                        last = entry;
                    }
                } catch (IOException damaged) {
                    // a line cut short by a crash: the lines before and after still count
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the run history " + file.toAbsolutePath() + ": " + e, e);
        }
        return Optional.ofNullable(last);
    }
}
