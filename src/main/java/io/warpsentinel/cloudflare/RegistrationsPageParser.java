package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.Registration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads one "List registrations" answer with Jackson's streaming parser, in two passes over the
 * buffered body. The first checks the page whole: a fault of the page (HTTP error,
 * {@code success} not true, malformed JSON, {@code result} not an array, no {@code result_info}
 * on a non-empty page, a cursor that is neither a string nor null, an envelope field given
 * twice) throws {@link CloudflareApiException} before a single record is used: a
 * {@link TransientApiException} where trying again may help (5xx, 408, a body that is not JSON).
 * The second pass streams the records one at a time to whoever iterates the page, so a page of
 * any size costs the memory of one record. Faults of a single record only mark that record:
 * one broken or hostile record never hides the rest of the page.
 */
public final class RegistrationsPageParser {

    /** The longest value kept in a field; longer text is cut and the record says so. */
    static final int LONGEST_VALUE = 1000;
    // Jackson reads a string whole before anyone can look at it: past this it stops, instead of
    // filling the heap with one value.
    private static final int LONGEST_READABLE = 1_000_000;

    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(LONGEST_READABLE).build()).build();
    private final FailureText failureText;

    public RegistrationsPageParser(FailureText failureText) {
        this.failureText = failureText;
    }

    /** Checks the buffered answer and returns its page; records whose id {@code firstSeen} refuses are left out. */
    RegistrationsPage parse(String accountId, int httpStatus, PageBody body, Predicate<String> firstSeen) {
        Envelope envelope;
        try (JsonParser parser = json.createParser(body.open())) {
            envelope = readEnvelope(parser);
        } catch (JsonProcessingException e) {
            body.close();
            if (httpStatus / 100 != 2) {
                throw httpError(accountId, httpStatus, new Envelope());
            }
            // Most often a body cut short by a proxy or a dropped connection: worth another try.
            throw new TransientApiException(httpStatus, "Cloudflare answered malformed JSON for account " + accountId
                    + " (HTTP " + httpStatus + "): " + failureText.clean(e.getOriginalMessage()));
        } catch (IOException e) {
            body.close();
            throw new UncheckedIOException(e);
        }
        try {
            check(accountId, httpStatus, envelope);
        } catch (RuntimeException e) {
            body.close();
            throw e;
        }
        String cursor = envelope.cursor == null || envelope.cursor.isEmpty() ? null : envelope.cursor;
        return new RegistrationsPage(envelope.records, cursor, body, () -> new Records(accountId, body, firstSeen));
    }

    /** A page from a whole body in memory (tests, and anything that is not a network answer). */
    public RegistrationsPage parse(String accountId, int httpStatus, InputStream body) {
        try {
            return parse(accountId, httpStatus, PageBody.read(body), id -> true);
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, "Reading the registrations page of account " + accountId + " failed: "
                    + failureText.describe(e));
        }
    }

    private void check(String accountId, int httpStatus, Envelope envelope) {
        if (httpStatus / 100 != 2) {
            throw httpError(accountId, httpStatus, envelope);
        }
        if (envelope.duplicate != null) {
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId + " has the field '"
                    + envelope.duplicate + "' twice; which one holds is anyone's guess, so the page is not used");
        }
        if (!Boolean.TRUE.equals(envelope.success)) {
            throw new CloudflareApiException(httpStatus, "Cloudflare answered success=" + envelope.success
                    + " for account " + accountId + errorsText(envelope));
        }
        if (envelope.resultShape != null || envelope.records < 0) {
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId
                    + " has no registrations array in 'result'" + (envelope.resultShape == null ? "" : " (found " + envelope.resultShape + ")"));
        }
        if (envelope.cursorShape != null) {
            // Taking it for "no more pages" would report a truncated scan as complete.
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId
                    + " has " + envelope.cursorShape + " as result_info.cursor, where a string or null belongs");
        }
        if (!envelope.hasResultInfo && envelope.records > 0) {
            // Without result_info there is no way to know whether more pages follow; guessing
            // "no" would turn a truncated scan into a false all-clear.
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId
                    + " has registrations but no 'result_info', so the next page is unknown");
        }
    }

    private CloudflareApiException httpError(String accountId, int httpStatus, Envelope envelope) {
        String message = "Cloudflare answered HTTP " + httpStatus + " for account " + accountId + errorsText(envelope)
                + hintFor(httpStatus);
        return httpStatus >= 500 || httpStatus == 408 ? new TransientApiException(httpStatus, message)
                : new CloudflareApiException(httpStatus, message);
    }

    private static String hintFor(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> " (check CLOUDFLARE_API_TOKEN: the token is missing, expired or malformed)";
            case 403 -> " (the token needs the 'Zero Trust Read' permission on this account)";
            case 404 -> " (check the account id in cloudflare.account-ids)";
            default -> "";
        };
    }

    /** Cloudflare's own words, cleaned (a server may echo the token, or answer with megabytes of text). */
    private String errorsText(Envelope envelope) {
        return envelope.errors.isEmpty() ? "" : ": " + failureText.clean(String.join("; ", envelope.errors));
    }

    // --- first pass: the envelope, with the records counted and skipped ---

    private Envelope readEnvelope(JsonParser parser) throws IOException {
        Envelope envelope = new Envelope();
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
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            parser.skipChildren();
                            envelope.records++;
                        }
                    } else {
                        envelope.resultShape = shape(parser, value);
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

    private static String shape(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            default -> "the value \"" + FailureText.escapeControls(cut(parser.getText())) + "\"";
        };
    }

    private void readErrors(JsonParser parser, JsonToken value, List<String> errors) throws IOException {
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
                    case "code" -> code = scalar(parser);
                    case "message" -> message = scalar(parser);
                    default -> parser.skipChildren();
                }
            }
            errors.add("Cloudflare error " + (code == null ? "?" : cut(code)) + " " + (message == null ? "" : cut(message)).strip());
        }
    }

    private static void readResultInfo(JsonParser parser, Envelope envelope) throws IOException {
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
                    envelope.cursorShape = shape(parser, value);
                }
            }
            parser.skipChildren();
        }
    }

    private static final class Envelope {
        Boolean success;
        final List<String> errors = new ArrayList<>();
        /** Registrations in {@code result}; -1 without a result array. */
        int records = -1;
        String resultShape;
        boolean hasResultInfo;
        String cursor;
        String cursorShape;
        String duplicate;
    }

    // --- second pass: the records, one at a time ---

    /** Streams the registrations of a checked body; closes the parser at the end of the array. */
    private final class Records implements Iterator<Registration> {
        private final String accountId;
        private final JsonParser parser;
        private final Predicate<String> firstSeen;
        private Registration next;
        private boolean done;

        Records(String accountId, PageBody body, Predicate<String> firstSeen) {
            this.accountId = accountId;
            this.firstSeen = firstSeen;
            try {
                parser = json.createParser(body.open());
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    if (parser.currentName().equals("result") && parser.nextToken() == JsonToken.START_ARRAY) {
                        return;
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                done = true; // no result array: an empty page
            } catch (IOException e) {
                throw unreadable(e);
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                try {
                    if (parser.nextToken() == JsonToken.END_ARRAY) {
                        done = true;
                        parser.close();
                    } else {
                        Registration registration = parser.currentToken() == JsonToken.START_OBJECT ? readRegistration(parser)
                                : skipped(parser);
                        if (firstSeen.test(registration.id())) {
                            next = registration;
                        }
                    }
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }
            return next != null;
        }

        @Override
        public Registration next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Registration registration = next;
            next = null;
            return registration;
        }

        private CloudflareApiException unreadable(IOException e) {
            String reason = e instanceof StreamConstraintsException
                    ? "a value is longer than " + String.format("%,d", LONGEST_READABLE) + " characters"
                    : failureText.describe(e);
            return new CloudflareApiException(0, "Cloudflare's answer for account " + accountId + " could not be read: " + reason);
        }
    }

    private static Registration skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return Registration.unreadable("registration is not a JSON object");
    }

    /** The fields of one registration, in any order; unknown ones skipped, known ones checked. */
    private static Registration readRegistration(JsonParser parser) throws IOException {
        Fields fields = new Fields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> fields.put(Fields.ID, "id", idText(parser, fields));
                case "last_seen_at" -> fields.put(Fields.LAST_SEEN_AT, field, timestamp(parser, field, fields));
                case "revoked_at" -> fields.put(Fields.REVOKED_AT, field, timestamp(parser, field, fields));
                case "key_type" -> fields.put(Fields.KEY_TYPE, field, scalar(parser));
                case "tunnel_type" -> fields.put(Fields.TUNNEL_TYPE, field, scalar(parser));
                case "device" -> readObject(parser, fields, "device.", Fields.DEVICE_ID, Fields.DEVICE_NAME, Fields.CLIENT_VERSION);
                case "user" -> readObject(parser, fields, "user.", Fields.USER_ID, Fields.USER_EMAIL, Fields.USER_NAME);
                case "policy" -> readObject(parser, fields, "policy.", Fields.POLICY_NAME);
                default -> parser.skipChildren();
            }
        }
        return fields.registration();
    }

    /** The named fields of a nested object ("device", "user", "policy"); null or a non-object leaves them empty. */
    private static void readObject(JsonParser parser, Fields fields, String prefix, int... slots) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + parser.currentName();
            parser.nextToken();
            int slot = -1;
            for (int candidate : slots) {
                if (Fields.NAMES[candidate].equals(name)) {
                    slot = candidate;
                }
            }
            if (slot < 0) {
                parser.skipChildren();
            } else {
                fields.put(slot, name, scalar(parser));
            }
        }
    }

    /** The id as text: a string, or a number as written; anything else makes the record unreadable. */
    private static String idText(JsonParser parser, Fields fields) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING || token.isNumeric()) {
            return parser.getText();
        }
        if (token != JsonToken.VALUE_NULL) {
            fields.defect("id is " + shape(parser, token) + ", not a string");
        }
        parser.skipChildren();
        return null;
    }

    /** A timestamp must be a string (or null): {@code revoked_at: false} is no revocation, and no timestamp either. */
    private static String timestamp(JsonParser parser, String field, Fields fields) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token != JsonToken.VALUE_NULL) {
            fields.defect(field + " is " + shape(parser, token) + ", not an RFC 3339 timestamp");
        }
        parser.skipChildren();
        return null;
    }

    /** The value as text: strings as they are, numbers and booleans as written, null and structures as null. */
    private static String scalar(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static String cut(String text) {
        return text.length() <= LONGEST_VALUE ? text : text.substring(0, LONGEST_VALUE) + "...";
    }

    /** One registration's fields as they arrive, checked: given twice, not valid Unicode, too long. */
    private static final class Fields {
        static final int ID = 0, DEVICE_ID = 1, DEVICE_NAME = 2, CLIENT_VERSION = 3, USER_ID = 4, USER_EMAIL = 5, USER_NAME = 6,
                LAST_SEEN_AT = 7, REVOKED_AT = 8, KEY_TYPE = 9, TUNNEL_TYPE = 10, POLICY_NAME = 11;
        static final String[] NAMES = {"id", "device.id", "device.name", "device.client_version", "user.id", "user.email",
            "user.name", "last_seen_at", "revoked_at", "key_type", "tunnel_type", "policy.name"};

        private final String[] values = new String[NAMES.length];
        private int given;
        private String defect;
        private List<String> remarks;

        void put(int slot, String name, String raw) {
            if ((given & 1 << slot) != 0) {
                defect(name + " is given twice");
            }
            given |= 1 << slot;
            values[slot] = raw == null ? null : repaired(name, raw);
        }

        void defect(String what) {
            if (defect == null) {
                defect = what;
            }
        }

        /** Lone surrogates and NUL (no UTF-8 file or database can hold them) as U+FFFD; thousands of characters cut. */
        private String repaired(String name, String raw) {
            String text = raw;
            StringBuilder fixed = null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean bad = c == 0 || Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                        || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
                if (bad && fixed == null) {
                    fixed = new StringBuilder(text.length()).append(text, 0, i);
                }
                if (fixed != null) {
                    fixed.append(bad ? '\uFFFD' : c);
                }
            }
            if (fixed != null) {
                text = fixed.toString();
                remark(name + " held characters that are not valid text; they were replaced by U+FFFD");
            }
            if (text.length() > LONGEST_VALUE) {
                int end = Character.isHighSurrogate(text.charAt(LONGEST_VALUE - 1)) ? LONGEST_VALUE - 1 : LONGEST_VALUE;
                remark(name + " was " + String.format("%,d", text.length()) + " characters long; cut to " + end);
                text = text.substring(0, end);
            }
            return text;
        }

        private void remark(String what) {
            if (remarks == null) {
                remarks = new ArrayList<>(2);
            }
            remarks.add(what);
        }

        Registration registration() {
            String id = values[ID];
            String problem = defect != null ? defect : id == null || id.isBlank() ? "registration has no id" : null;
            return new Registration(id, values[DEVICE_ID], values[DEVICE_NAME], values[CLIENT_VERSION], values[USER_ID],
                    values[USER_EMAIL], values[USER_NAME], values[LAST_SEEN_AT], values[REVOKED_AT], values[KEY_TYPE],
                    values[TUNNEL_TYPE], values[POLICY_NAME], problem, remarks == null ? null : String.join("; ", remarks));
        }
    }
}
