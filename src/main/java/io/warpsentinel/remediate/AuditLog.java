package io.warpsentinel.remediate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Remediation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code sentinel.remediate.audit-file}: one JSON line per planned or performed action, appended
 * and forced to disk as each outcome is known, never rewritten or truncated. It is checked
 * before the first write call of a run: an action must never happen without its line.
 */
final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final PrivateFiles files;

    AuditLog(Path file, PrivateFiles files) {
        this.file = file;
        this.files = files;
    }

    /** Fails, naming the file and the setting, when the file cannot be appended to (creating it and its folder if missing). */
    void check() {
        append(List.of());
    }

    /**
     * Whether the file could be appended to, without creating anything (start-up, validation):
     * the file itself, or the closest folder on its path that exists, must be writable.
     */
    boolean looksWritable() {
        Path existing = file.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.isWritable(existing) && (existing.equals(file.toAbsolutePath()) ? Files.isRegularFile(existing)
                : Files.isDirectory(existing));
    }

    synchronized void append(List<ObjectNode> lines) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                files.folder(file.toAbsolutePath().getParent());
            }
            try (FileChannel channel = files.append(file); Writer out = PrivateFiles.writer(Channels.newOutputStream(channel))) {
                for (ObjectNode line : lines) {
                    out.write(line.toString());
                    out.write('\n');
                }
                out.flush();
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the audit file " + file.toAbsolutePath() + " (sentinel.remediate.audit-file): "
                    + e, e);
        }
    }

    /** One action's line: time, run, account, then the entry's fields (registration, device, user, last seen, reason, action, dry_run, outcome). */
    static ObjectNode line(Instant runStartedAt, String accountId, Remediation.Entry entry) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", entry.at().toString());
        line.put("run", runStartedAt.toString());
        line.put("account_id", accountId);
        entry.fields().forEach((field, value) -> line.set(field, JSON.valueToTree(value)));
        return line;
    }

    Path file() {
        return file;
    }
}
