package io.warpsentinel.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The findings of a JSON report file read back, one at a time in the order written: never all in
 * memory. Streamed field by field: a tree per finding costs more than the rest of the work.
 */
final class JsonReportFindings {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Gets the findings read; it may throw what its caller does. */
    @FunctionalInterface
    interface Reader<E extends Exception> {
        /**
         * @param place   the finding's place in the report, from 0
         * @param finding its values by column name: a String, a Long (a whole number), absent when null
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
        try (JsonParser parser = JSON.getFactory().createParser(json.toFile())) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean findings = parser.currentName().equals("findings");
                parser.nextToken();
                if (!findings) {
                    parser.skipChildren();
                    continue;
                }
                for (int place = 0; parser.nextToken() == JsonToken.START_OBJECT; place++) {
                    if (!wanted.test(place)) {
                        parser.skipChildren();
                        continue;
                    }
                    Map<String, Object> finding = new HashMap<>(32);
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (value.isScalarValue() && value != JsonToken.VALUE_NULL && columns.contains(field)) {
                            finding.put(field, value == JsonToken.VALUE_NUMBER_INT ? (Object) parser.getLongValue() : parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    reader.accept(place, finding);
                }
                return;
            }
        }
    }
}
