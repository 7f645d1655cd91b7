package io.warpsentinel.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo's simulated Cloudflare remembers from one run to the next, as Cloudflare would:
 * its day, and the revokes, deletes and new enrolments its API made. Each run of the demo is a
 * new process, and a fleet that moves from one run to the next needs a day that does; counting
 * the runs in the reports' history or the finding state would tie the demo to their formats (and
 * to a database when the state lives in PostgreSQL), so the demo keeps a small file of its own,
 * one JSON line per day and per change, beside the reports: a fresh folder starts at day 0.
 *
 * <p>A day is written when the API first lists an account to its last page: a run that scanned
 * nothing (a validation's probe, a scan that failed) leaves the next run on the same day. A
 * line that cannot be read (cut short by a crash) is skipped, and so is a change written by a
 * version that kept its time on the simulated days' time line ({@code at}, not {@code made_at}).
 */
final class DemoJournal {

    private static final Logger LOG = LoggerFactory.getLogger(DemoJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A change and the account it was made on. */
    private record Entry(String account, DemoFleet.Change change) { }

    private final Path file;
    private final PrivateFiles files;
    private final int day;
    private final List<Entry> entries;
    private boolean dayWritten;

    private DemoJournal(Path file, PrivateFiles files, int day, List<Entry> entries) {
        this.file = file;
        this.files = files;
        this.day = day;
        this.entries = entries;
    }

    /** A fixed day, nothing read or written: the benchmark's and the tests' fleets. */
    static DemoJournal pinned(int day) {
        return new DemoJournal(null, null, day, new ArrayList<>());
    }

    /** The day after the last one in {@code file} (0 when there is none), and the changes it holds. */
    static DemoJournal open(Path file, PrivateFiles files) {
        int lastDay = -1;
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException fresh) {
            lines = List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the demo's file " + file + " (sentinel.demo.state-file): " + e, e);
        }
        for (String line : lines) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node.hasNonNull("day")) {
                    lastDay = Math.max(lastDay, node.get("day").intValue());
                } else if (node.hasNonNull("change")) {
                    entries.add(new Entry(node.get("account").textValue(), new DemoFleet.Change(node.get("change").textValue(),
                            node.get("registration_id").textValue(), node.get("made_at").longValue())));
                }
            } catch (IOException | RuntimeException unreadable) {
                LOG.debug("Skipped a line of {} that cannot be read: {}", file, unreadable.toString());
            }
        }
        return new DemoJournal(file, files, lastDay + 1, entries);
    }

    int day() {
        return day;
    }

    /** The changes made on {@code account} on this day and the days before, in order. */
    synchronized List<DemoFleet.Change> changes(String account) {
        return entries.stream().filter(entry -> entry.account().equals(account)).map(Entry::change).toList();
    }

    /** An account was listed to its last page: this day counts as a run. */
    synchronized void listed() {
        if (!dayWritten && file != null) {
            ObjectNode line = JSON.createObjectNode().put("day", day);
            append(line);
        }
        dayWritten = true;
    }

    synchronized void record(String account, List<DemoFleet.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        listed();
        for (DemoFleet.Change change : changes) {
            entries.add(new Entry(account, change));
            if (file != null) {
                append(JSON.createObjectNode().put("account", account).put("change", change.kind())
                        .put("registration_id", change.registrationId()).put("made_at", change.at()));
            }
        }
    }

    private void append(ObjectNode line) {
        try (FileChannel out = files.append(file)) {
            out.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the demo goes on without remembering; the next run starts this day again
            LOG.warn("Cannot write the demo's file {} (sentinel.demo.state-file): {}", file, e.toString());
        }
    }
}
