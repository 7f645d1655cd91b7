package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The findings of a JSON report file read back, one at a time in the order written: never all in
 * memory. The report holds one finding per line ({@link ReportWriter}'s layout, and JSON text
 * never holds a raw line break), so a finding not wanted is skipped as a line, unparsed, and a
 * wanted one is streamed field by field: a tree per finding costs more than the rest of the work.
 */
final class JsonReportFindings {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] FINDINGS_START = "  \"findings\":[".getBytes(StandardCharsets.US_ASCII);

    /** Gets the findings read; it may throw what its caller does. */
    @FunctionalInterface
    interface Reader<E extends Exception> {
        /**
         * @param place   the finding's place in the report, from 0
         * @param finding its values by column name: a String, a Long (a whole number), absent when null;
         *                valid during the call only (the map is reused for the next finding)
         */
        void accept(int place, Map<String, Object> finding) throws E;
    }

    private JsonReportFindings() {
    }

    /**
     * @param wanted  the places to read; the findings at the others are skipped unread
     * @param columns the columns to read of each
     */
    static <E extends Exception> void read(Path json, IntPredicate wanted, Set<String> columns, Reader<E> reader) throws IOException, E {
        try (InputStream in = Files.newInputStream(json)) {
            Lines lines = new Lines(in);
            while (lines.next() && !lines.startsWith(FINDINGS_START)) {
                // the account and the scan's start come first
            }
            Map<String, Object> finding = new HashMap<>(32);
            // each finding's line starts with its object's brace; the line that closes the array does not
            for (int place = 0; lines.next() && lines.firstNonBlank() == '{'; place++) {
                if (!wanted.test(place)) {
                    continue;
                }
                finding.clear();
                try (JsonParser parser = JSON.createParser(lines.buffer, lines.start, lines.end - lines.start)) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (value.isScalarValue() && value != JsonToken.VALUE_NULL && columns.contains(field)) {
                            finding.put(field, value == JsonToken.VALUE_NUMBER_INT ? (Object) parser.getLongValue() : parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                reader.accept(place, finding);
            }
        }
    }

    /** The file's lines, one at a time in a buffer of its own (grown for a longer line), without their line break. */
    private static final class Lines {
        private final InputStream in;
        byte[] buffer = new byte[1 << 16];
        int start;
        int end;
        // the next line starts at next; the bytes read stop at filled
        private int next;
        private int filled;
        private boolean eof;

        Lines(InputStream in) {
            this.in = in;
        }

        /** Moves to the next line; false at the end of the file. */
        boolean next() throws IOException {
            int scan = next;
            while (true) {
                for (; scan < filled; scan++) {
                    if (buffer[scan] == '\n') {
                        start = next;
                        end = scan;
                        next = scan + 1;
                        return true;
                    }
                }
                if (eof) {
                    start = next;
                    end = filled;
                    next = filled;
                    return end > start;
                }
                // keep the line begun, read more after it
                int kept = filled - next;
                if (next == 0 && kept == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                } else {
                    System.arraycopy(buffer, next, buffer, 0, kept);
                }
                scan = kept;
                next = 0;
                filled = kept;
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    eof = true;
                } else {
                    filled += read;
                }
            }
        }

        boolean startsWith(byte[] prefix) {
            return end - start >= prefix.length && Arrays.equals(buffer, start, start + prefix.length, prefix, 0, prefix.length);
        }

        /** The line's first character that is not a space; 0 for a blank line. */
        int firstNonBlank() {
            for (int i = start; i < end; i++) {
                if (buffer[i] != ' ') {
                    return buffer[i];
                }
            }
            return 0;
        }
    }
}
