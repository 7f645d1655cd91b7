package io.warpsentinel.state;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.state.StoredRow.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store: one JSON-lines file per account in {@code sentinel.state.dir}, its first
 * line the last complete scan, then one line per open finding (a {@link StoredFinding}, a field
 * per column) and one per removal remembered (a {@link StoredRemoval}, marked
 * {@code "row":"removal"}). A save writes the whole new state
 * to a hidden temporary file, forces it to disk and renames it over the old one, so a crash at
 * any moment leaves either the old state or the new one, never a mix. A lock file keeps two
 * processes from saving at once, and the temporary file is never opened through a link planted
 * at its path.
 */
final class FileStateStorage implements StateStorage {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The kinds of row a file holds, each line marked by its kind's {@code "row"} (none for a finding). */
    private static final List<Type<?>> TYPES = List.of(StoredFinding.ROWS, StoredRemoval.ROWS);
    private static final String ROW = "row";

    private final Path directory;
    private final PrivateFiles files;

    FileStateStorage(Path directory, PrivateFiles files) {
        this.directory = directory;
        this.files = files;
    }

    @Override
    public Stored load(String accountId) throws Exception {
        Path file = file(accountId);
        if (!Files.isRegularFile(file)) {
            return new Stored(null, -1, new FindingIndex(0), List.of());
        }
        FindingIndex findings = new FindingIndex(lines(file));
        List<StoredRemoval> removals = new ArrayList<>();
        Instant previousScan;
        long registrations;
        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
            JsonNode header = lines.next();
            previousScan = Instant.ofEpochMilli(header.get("last_complete_scan").asLong());
            registrations = header.path("registrations").asLong(-1);
            while (lines.hasNext()) {
                JsonNode line = lines.next();
                if (typeOf(line) == StoredRemoval.ROWS) {
                    removals.add(row(StoredRemoval.ROWS, line));
                } else {
                    findings.put(row(StoredFinding.ROWS, line));
                }
            }
        }
        return new Stored(previousScan, registrations, findings, removals);
    }

    @Override
    public void read(String accountId, Rows<StoredFinding> rows) throws Exception {
        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file(accountId).toFile())) {
            lines.next();
            while (lines.hasNext()) {
                JsonNode line = lines.next();
                if (typeOf(line) == StoredFinding.ROWS) {
                    rows.accept(row(StoredFinding.ROWS, line));
                }
            }
        }
    }

    @Override
    // synchronized: the lock file keeps other processes out, but a second thread of this one
    // (accounts scanned side by side) would be refused the same lock with an exception
    public synchronized boolean save(CompletedScan scan) throws Exception {
        files.folder(directory);
        String accountId = scan.accountId();
        Path temp = directory.resolve("." + accountId + ".jsonl.tmp");
        try (FileChannel lockFile = files.lockFile(directory.resolve(".lock"));
             FileLock lock = lockFile.lock()) {
            // a temporary file left by a process killed mid-save, or a link planted in its place
            Files.deleteIfExists(temp);
            return replace(scan, file(accountId), temp);
        }
    }

    /** Writes the new state beside the old one and renames it into place; the caller holds the lock. */
    private boolean replace(CompletedScan scan, Path file, Path temp) throws Exception {
        try {
            try (FileChannel channel = files.create(temp);
                 OutputStream out = Channels.newOutputStream(channel);
                 JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
                json.writeStartObject();
                json.writeStringField("account_id", scan.accountId());
                json.writeNumberField("last_complete_scan", scan.startedAt());
                json.writeNumberField("registrations", scan.registrations());
                json.writeEndObject();
                if (Files.isRegularFile(file)) {
                    try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
                        if (scan.startedBefore(lines.next().get("last_complete_scan").asLong())) {
                            return false;
                        }
                        while (lines.hasNext()) {
                            JsonNode line = lines.next();
                            keep(json, scan, typeOf(line), line);
                        }
                    }
                }
                for (Type<?> type : TYPES) {
                    writeNew(json, scan, type);
                }
                json.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } finally {
            // still under the lock: another process's temporary file is never touched
            Files.deleteIfExists(temp);
        }
    }

    /** A stored line as the scan leaves it: written again (kept or changed), or left out. */
    private static <R extends StoredRow> void keep(JsonGenerator json, CompletedScan scan, Type<R> type, JsonNode line) throws Exception {
        R kept = type.after().after(scan, row(type, line));
        if (kept != null) {
            write(json, type, kept);
        }
    }

    private static <R extends StoredRow> void writeNew(JsonGenerator json, CompletedScan scan, Type<R> type) throws Exception {
        type.news().read(scan, row -> write(json, type, row));
    }

    /** Counts the file's lines (one per finding, and the header): the index is sized once, not grown. */
    private static int lines(Path file) throws IOException {
        int lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    /** One line per row, its kind's mark and a field per column; an empty value is left out (lines written before read it as empty too). */
    private static void write(JsonGenerator json, Type<?> type, StoredRow row) throws IOException {
        json.writeStartObject();
        if (type.line() != null) {
            json.writeStringField(ROW, type.line());
        }
        for (StoredRow.Column column : type.columns()) {
            if (column.kind() == StoredRow.Kind.TEXT) {
                String value = row.text(column);
                if (value != null) {
                    json.writeStringField(column.storedName(), value);
                }
            } else {
                long value = row.epochMillis(column);
                if (value != TrackedFinding.NEVER) {
                    json.writeNumberField(column.storedName(), value);
                }
            }
        }
        json.writeEndObject();
    }

    /** The kind of row a line holds: a finding's has no mark (as every version wrote them). */
    private static Type<?> typeOf(JsonNode line) {
        JsonNode mark = line.get(ROW);
        if (mark == null || mark.isNull()) {
            return StoredFinding.ROWS;
        }
        return TYPES.stream().filter(type -> mark.asText().equals(type.line())).findFirst()
                .orElseThrow(() -> new IllegalStateException("A stored row of an unknown kind: " + mark));
    }

    /** A line as a row: a field left out or null is empty. */
    private static <R extends StoredRow> R row(Type<R> type, JsonNode line) throws Exception {
        return type.reader().read(new StoredRow.Values() {
            @Override
            public String text(StoredRow.Column column) {
                JsonNode value = line.get(column.storedName());
                return value == null || value.isNull() ? null : value.asText();
            }

            @Override
            public long epochMillis(StoredRow.Column column) {
                JsonNode value = line.get(column.storedName());
                return value == null || value.isNull() ? TrackedFinding.NEVER : value.asLong();
            }
        });
    }

    private Path file(String accountId) {
        return directory.resolve(accountId + ".jsonl");
    }

    @Override
    public String location() {
        return directory.toAbsolutePath().toString();
    }
}
