package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one registration of a page: only the fields a report uses, in any order, unknown ones
 * skipped. What makes the record impossible to judge (no id, a timestamp that is not a string, a
 * field given twice) is its defect; text no report could hold (characters that are not valid
 * Unicode, thousands of characters) is repaired and the record says so.
 */
final class RegistrationReader {

    /** The longest value kept in a field; longer text is cut and the record says so. */
    static final int LONGEST_VALUE = 1000;

    private RegistrationReader() {
    }

    /** The record at the parser, an object or not. */
    static Registration record(JsonParser parser) throws IOException {
        return parser.currentToken() == JsonToken.START_OBJECT ? read(parser) : skipped(parser);
    }

    static Registration skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return Registration.unreadable("registration is not a JSON object");
    }

    /** The fields of one registration, in any order; unknown ones skipped, known ones checked. */
    static Registration read(JsonParser parser) throws IOException {
        Fields fields = new Fields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> fields.put(Fields.ID, "id", idText(parser, fields));
                case "last_seen_at" -> fields.put(Fields.LAST_SEEN_AT, field, timestamp(parser, field, fields));
                // read leniently: only the never-used rule needs it, and an unreadable one makes no registration unjudgeable
                case "created_at" -> fields.put(Fields.CREATED_AT, field, scalar(parser));
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
            String field = parser.currentName();
            parser.nextToken();
            int slot = -1;
            for (int candidate : slots) {
                // every slot of the object has its prefix, so the rest of its name is the field's (no name made per field)
                String name = Fields.NAMES[candidate];
                if (name.length() == prefix.length() + field.length() && name.endsWith(field)) {
                    slot = candidate;
                }
            }
            if (slot < 0) {
                parser.skipChildren();
            } else {
                fields.put(slot, Fields.NAMES[slot], scalar(parser));
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
    static String scalar(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** The text with lone surrogates and NUL (no UTF-8 file or database can hold them) as U+FFFD; the same instance when it had none. */
    static String validText(String text) {
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
        return fixed == null ? text : fixed.toString();
    }

    /** The text cut at {@value #LONGEST_VALUE} characters (never inside a surrogate pair); the same instance when shorter. */
    static String shortened(String text) {
        if (text.length() <= LONGEST_VALUE) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(LONGEST_VALUE - 1)) ? LONGEST_VALUE - 1 : LONGEST_VALUE);
    }

    static String cut(String text) {
        return text.length() <= LONGEST_VALUE ? text : text.substring(0, LONGEST_VALUE) + "...";
    }

    /** One registration's fields as they arrive, checked: given twice, not valid Unicode, too long. */
    private static final class Fields {
        static final int ID = 0, DEVICE_ID = 1, DEVICE_NAME = 2, CLIENT_VERSION = 3, USER_ID = 4, USER_EMAIL = 5, USER_NAME = 6,
                LAST_SEEN_AT = 7, REVOKED_AT = 8, KEY_TYPE = 9, TUNNEL_TYPE = 10, POLICY_NAME = 11, CREATED_AT = 12;
        static final String[] NAMES = {"id", "device.id", "device.name", "device.client_version", "user.id", "user.email",
            "user.name", "last_seen_at", "revoked_at", "key_type", "tunnel_type", "policy.name", "created_at"};

        private final String[] values = new String[NAMES.length];
        private int given;
        private String defect;
        private List<String> remarks;

        void put(int slot, String name, String raw) {
            if ((given & 1 << slot) != 0) {
                defect(name + " is given twice");
            }
            given |= 1 << slot;
            String value = raw == null ? null : repaired(name, raw);
            if (slot == ID && value != null && !value.equals(raw)) {
                // a repaired id could equal another registration's: it identifies nothing
                defect("id is not valid text or is too long, so it identifies no registration");
                value = null;
            }
            values[slot] = value;
        }

        void defect(String what) {
            if (defect == null) {
                defect = what;
            }
        }

        /** Lone surrogates and NUL (no UTF-8 file or database can hold them) as U+FFFD; thousands of characters cut. */
        private String repaired(String name, String raw) {
            String text = validText(raw);
            if (text != raw) {
                remark(name + " held characters that are not valid text; they were replaced by U+FFFD");
            }
            if (text.length() > LONGEST_VALUE) {
                String cut = shortened(text);
                remark(name + " was " + String.format("%,d", text.length()) + " characters long; cut to " + cut.length());
                text = cut;
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
                    values[USER_EMAIL], values[USER_NAME], values[CREATED_AT], values[LAST_SEEN_AT], values[REVOKED_AT], values[KEY_TYPE],
                    values[TUNNEL_TYPE], values[POLICY_NAME], problem, remarks == null ? null : String.join("; ", remarks));
        }
    }

    static String shape(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            default -> "the value \"" + FailureText.escapeControls(cut(parser.getText())) + "\"";
        };
    }
}
