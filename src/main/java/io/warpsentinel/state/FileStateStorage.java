package io.warpsentinel.state;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
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
 * line the last complete scan, then one line per open finding. A save writes the whole new state
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
    public Stored load(String accountId) throws IOException {
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
                JsonNode line = lines.next();
                findings.put(line.get("registration_id").asText(), Reason.valueOf(line.get("reason").asText()),
                        line.get("finding_since").asLong(), epochMillis(line.get("alerted_at")), epochMillis(line.get("owner_noticed_at")),
                        Action.of(line.path("acted").asText(null)), epochMillis(line.get("acted_at")));
            }
        }
        return new Stored(previousScan, registrations, findings);
    }

    @Override
    public void read(String accountId, StoredReader reader) throws Exception {
        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file(accountId).toFile())) {
            lines.next();
            while (lines.hasNext()) {
                JsonNode line = lines.next();
                reader.accept(line.get("registration_id").asText(), line.path("device_name").asText(null),
                        line.path("user_email").asText(null), line.path("last_seen_at").asText(null));
            }
        }
    }

    @Override
    // synchronized: the lock file keeps other processes out, but a second thread of this one
    // (accounts scanned side by side) would be refused the same lock with an exception
    public synchronized boolean save(AccountState state, PublishedFindings published, boolean alerted) throws Exception {
        files.folder(directory);
        String accountId = state.getAccountId();
        Path file = file(accountId);
        Path temp = directory.resolve("." + accountId + ".jsonl.tmp");
        long scan = state.getScanStartedAt().toEpochMilli();
        try (FileChannel lockFile = files.lockFile(directory.resolve(".lock"));
             FileLock lock = lockFile.lock()) {
            // a temporary file left by a process killed mid-save, or a link planted in its place
            Files.deleteIfExists(temp);
            return replace(state, published, alerted, file, temp, scan);
        }
    }

    /** Writes the new state beside the old one and renames it into place; the caller holds the lock. */
    private boolean replace(AccountState state, PublishedFindings published, boolean alerted, Path file, Path temp, long scan)
            throws Exception {
        String accountId = state.getAccountId();
        try {
            try (FileChannel channel = files.create(temp);
                 OutputStream out = Channels.newOutputStream(channel);
                 JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
                json.writeStartObject();
                json.writeStringField("account_id", accountId);
                json.writeNumberField("last_complete_scan", scan);
                json.writeNumberField("registrations", state.getScanned());
                json.writeEndObject();
                if (Files.isRegularFile(file)) {
                    try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
                        if (lines.next().get("last_complete_scan").asLong() > scan) {
                            return false;
                        }
                        // the findings still open keep their names from the stored line
                        FindingIndex previous = state.previous();
                        while (lines.hasNext()) {
                            JsonNode line = lines.next();
                            String id = line.get("registration_id").asText();
                            int slot = state.stillOpen(id);
                            if (slot >= 0) {
                                write(json, id, previous.reason(slot), previous.since(slot), state.alertedAtAfter(slot, alerted),
                                        previous.ownerNoticedAt(slot), previous.acted(slot), previous.actedAt(slot),
                                        line.path("device_name").asText(null),
                                        line.path("user_email").asText(null), line.path("last_seen_at").asText(null));
                            }
                        }
                    }
                }
                published.read(finding -> {
                    if (Change.NEW.label().equals(finding.change()) && finding.registrationId() != null) {
                        Action acted = state.actedOnNew(finding.registrationId());
                        write(json, finding.registrationId(), finding.reason(), scan, alerted ? scan : TrackedFinding.NEVER,
                                state.ownerNoticedAt(finding.registrationId()), acted, acted == Action.NONE ? TrackedFinding.NEVER : scan,
                                finding.deviceName(), finding.userEmail(), finding.lastSeenAt());
                    }
                });
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

    private static void write(JsonGenerator json, String id, Reason reason, long since, long alertedAt, long ownerNoticedAt,
                              Action acted, long actedAt, String deviceName, String userEmail, String lastSeenAt) throws IOException {
        json.writeStartObject();
        json.writeStringField("registration_id", id);
        json.writeStringField("reason", reason.name());
        json.writeNumberField("finding_since", since);
        writeEpochMillis(json, "alerted_at", alertedAt);
        writeEpochMillis(json, "owner_noticed_at", ownerNoticedAt);
        if (acted != Action.NONE) {
            json.writeStringField("acted", acted.label());
            json.writeNumberField("acted_at", actedAt);
        }
        json.writeStringField("device_name", deviceName);
        json.writeStringField("user_email", userEmail);
        json.writeStringField("last_seen_at", lastSeenAt);
        json.writeEndObject();
    }

    private static void writeEpochMillis(JsonGenerator json, String field, long value) throws IOException {
        if (value == TrackedFinding.NEVER) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    private static long epochMillis(JsonNode value) {
        return value == null || value.isNull() ? TrackedFinding.NEVER : value.asLong();
    }

    private Path file(String accountId) {
        return directory.resolve(accountId + ".jsonl");
    }

    @Override
    public String location() {
        return directory.toAbsolutePath().toString();
    }
}
