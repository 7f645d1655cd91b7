package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warpsentinel.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A section of the JSON report that follows the findings (recovered, gone, excluded): its
 * entries arrive while the findings array is still being written, so they wait in a hidden
 * temporary file, one per line, and are copied into the report when it is published. Memory
 * holds only the first entries, which the HTML page shows; a bulk clean-up that makes 400,000
 * findings gone costs disk, not heap.
 */
final class SectionSpool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path file;
    private final int kept;
    private final PrivateFiles files;
    private final List<Map<String, String>> first = new ArrayList<>();
    private JsonGenerator spool;
    private long count;

    /** @param kept how many of the first entries stay in memory for the HTML page */
    SectionSpool(String name, Path file, int kept, PrivateFiles files) {
        this.name = name;
        this.file = file;
        this.kept = kept;
        this.files = files;
    }

    void add(ObjectNode entry) throws IOException {
        if (spool == null) {
            spool = JSON.getFactory().createGenerator(files.newWriter(file));
            spool.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        }
        spool.writeTree(entry);
        if (first.size() < kept) {
            Map<String, String> values = new LinkedHashMap<>();
            entry.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText()));
            first.add(Collections.unmodifiableMap(values));
        }
        count++;
    }

    long count() {
        return count;
    }

    /** The first entries, as the HTML page shows them. */
    List<Map<String, String>> first() {
        return List.copyOf(first);
    }

    /** Writes the section as the report's next field, an array of every entry, and deletes the spool. */
    void copyInto(JsonGenerator report) throws IOException {
        report.writeArrayFieldStart(name);
        if (spool != null) {
            spool.close();
            try (MappingIterator<JsonNode> entries = JSON.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (entries.hasNext()) {
                    report.writeTree(entries.next());
                }
            }
        }
        report.writeEndArray();
        delete();
    }

    void delete() throws IOException {
        if (spool != null) {
            spool.close();
        }
        Files.deleteIfExists(file);
    }
}
