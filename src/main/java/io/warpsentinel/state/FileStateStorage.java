package io.warpsentinel.state;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.state.StoredFinding.Column;
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

/**
 * The embedded store: one JSON-lines file per account in {@code sentinel.state.dir}, its first
 * line the last complete scan, then one line per open finding (a {@link StoredFinding}, a field
 * per {@link Column}). A save writes the whole new state
 * to a hidden temporary file, forces it to disk and renames it over the old one, so a crash at
 * any moment leaves either the old state or the new one, never a mix. A lock file keeps two
 * processes from saving at once, and the temporary file is never opened through a link planted
 * at its path.
 */
final class FileStateStorage implements StateStorage {

    private static final ObjectMapper JSON = new ObjectMapper();

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
            return new Stored(null, -1, new FindingIndex(0));
        }
        FindingIndex findings = new FindingIndex(lines(file));
        Instant previousScan;
        long registrations;
        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
            JsonNode header = lines.next();
            previousScan = Instant.ofEpochMilli(header.get("last_complete_scan").asLong());
            registrations = header.path("registrations").asLong(-1);
            while (lines.hasNext()) {
                findings.put(row(lines.next()));
            }
        }
        return new Stored(previousScan, registrations, findings);
    }

    @Override
    public void read(String accountId, Rows rows) throws Exception {
        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file(accountId).toFile())) {
            lines.next();
            while (lines.hasNext()) {
                rows.accept(row(lines.next()));
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
                            StoredFinding kept = scan.after(row(lines.next()));
                            if (kept != null) {
                                write(json, kept);
                            }
                        }
                    }
                }
                scan.readNew(row -> write(json, row));
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

    /** One line per finding, a field per column; an empty value is left out (lines written before read it as empty too). */
    private static void write(JsonGenerator json, StoredFinding row) throws IOException {
        json.writeStartObject();
        for (Column column : Column.values()) {
            if (column.kind == StoredFinding.Kind.TEXT) {
                String value = row.text(column);
                if (value != null) {
                    json.writeStringField(column.storedName, value);
                }
            } else {
                long value = row.epochMillis(column);
                if (value != TrackedFinding.NEVER) {
                    json.writeNumberField(column.storedName, value);
                }
            }
        }
        json.writeEndObject();
    }

    /** A finding's line as a row: a field left out or null is empty. */
    private static StoredFinding row(JsonNode line) throws Exception {
        return StoredFinding.read(new StoredFinding.Values() {
            @Override
            public String text(Column column) {
                JsonNode value = line.get(column.storedName);
                return value == null || value.isNull() ? null : value.asText();
            }

            @Override
            public long epochMillis(Column column) {
                JsonNode value = line.get(column.storedName);
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
