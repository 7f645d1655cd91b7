package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The first pass over an answer: its envelope ({@code success}, {@code errors},
 * {@code result_info}) read and its records counted, every field given twice noted, so the page
 * can be judged whole before a single record is used. Up to a number of records, they are read
 * and kept on the way, which spares a normal page its second pass; past it, they are skipped
 * and the page streams its records in a second pass.
 */
final class PageEnvelope<T> {

    /** Reads one record of {@code result}, from its first token (a record that is no object included). */
    @FunctionalInterface
    interface RecordReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    Boolean success;
    final List<String> errors = new ArrayList<>();
    /** Records in {@code result}; -1 without a result array. */
    int records = -1;
    String resultShape;
    boolean hasResultInfo;
    String cursor;
    String cursorShape;
    String duplicate;
    /** The records as read, or null when there were more than the pass was asked to keep. */
    List<T> kept;

    private PageEnvelope() {
    }

    /** The envelope of an answer that is not JSON at all: no errors to quote. */
    static PageEnvelope<Void> empty() {
        return new PageEnvelope<>();
    }

    /** The envelope alone, every record skipped. */
    static PageEnvelope<Void> read(JsonParser parser) throws IOException {
        return read(parser, 0, null);
    }

    /**
     * @param keepUpTo records read and kept as long as there are no more than this; 0 keeps none
     * @param records  reads a record to keep
     */
    static <T> PageEnvelope<T> read(JsonParser parser, int keepUpTo, RecordReader<T> records) throws IOException {
        PageEnvelope<T> envelope = new PageEnvelope<>();
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "the answer is not a JSON object");
        }
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!seen.add(field) && envelope.duplicate == null) {
                envelope.duplicate = field;
            }
            switch (field) {
                case "success" -> envelope.success = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
                case "errors" -> readErrors(parser, value, envelope.errors);
                case "result" -> {
                    if (value == JsonToken.START_ARRAY) {
                        envelope.records = 0;
                        envelope.kept = keepUpTo > 0 ? new ArrayList<>() : null;
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            if (envelope.kept != null && envelope.records == keepUpTo) {
                                envelope.kept = null;
                            }
                            if (envelope.kept == null) {
                                parser.skipChildren();
                            } else {
                                envelope.kept.add(records.read(parser));
                            }
                            envelope.records++;
                        }
                    } else {
                        envelope.resultShape = RegistrationReader.shape(parser, value);
                        parser.skipChildren();
                    }
                }
                case "result_info" -> {
                    if (value == JsonToken.START_OBJECT) {
                        envelope.hasResultInfo = true;
                        readResultInfo(parser, envelope);
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
            throw new JsonParseException(parser, "the answer does not end where its JSON object does");
        }
        return envelope;
    }

    private static void readErrors(JsonParser parser, JsonToken value, List<String> errors) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String code = null;
            String message = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "code" -> code = RegistrationReader.scalar(parser);
                    case "message" -> message = RegistrationReader.scalar(parser);
                    default -> parser.skipChildren();
                }
            }
            errors.add("Cloudflare error " + (code == null ? "?" : RegistrationReader.cut(code)) + " " + (message == null ? "" : RegistrationReader.cut(message)).strip());
        }
    }

    private static void readResultInfo(JsonParser parser, PageEnvelope envelope) throws IOException {
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!seen.add(field) && envelope.duplicate == null) {
                envelope.duplicate = "result_info." + field;
            }
            if (field.equals("cursor")) {
                if (value == JsonToken.VALUE_STRING) {
                    envelope.cursor = parser.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    envelope.cursorShape = RegistrationReader.shape(parser, value);
                }
            }
            parser.skipChildren();
        }
    }
}
