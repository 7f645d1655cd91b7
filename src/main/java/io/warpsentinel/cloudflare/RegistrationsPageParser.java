package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one "List registrations" answer with Jackson's streaming parser: no tree and no data
 * binding, only the fields a report uses, everything else skipped. Faults of the page
 * (HTTP error, {@code success: false}, malformed JSON, {@code result} not an array, no
 * {@code result_info} on a non-empty page) throw {@link CloudflareApiException}: a
 * {@link TransientApiException} where trying again may help (5xx, 408, a body cut short), a
 * {@link RateLimitedException} on 429. Faults of a single record only mark that record, so one
 * broken record never hides the rest of the page.
 */
public final class RegistrationsPageParser {

    private final JsonFactory json = new JsonFactory();

    public RegistrationsPage parse(String accountId, int httpStatus, InputStream body) {
        Envelope envelope;
        try (JsonParser parser = json.createParser(body)) {
            envelope = readEnvelope(parser);
        } catch (JsonProcessingException e) {
            if (httpStatus / 100 != 2) {
                throw httpError(accountId, httpStatus, new Envelope());
            }
            // Most often a body cut short by a dropped connection: worth another try.
            throw new TransientApiException(httpStatus, "Cloudflare answered malformed JSON for account " + accountId
                    + " (HTTP " + httpStatus + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TransientApiException(httpStatus,
                    "Reading the registrations page of account " + accountId + " failed: " + e.getMessage());
        }
        if (httpStatus / 100 != 2) {
            throw httpError(accountId, httpStatus, envelope);
        }
        if (!Boolean.TRUE.equals(envelope.success)) {
            throw new CloudflareApiException(httpStatus, "Cloudflare answered success=" + envelope.success
                    + " for account " + accountId + errorsText(envelope));
        }
        if (envelope.registrations == null) {
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId
                    + " has no registrations array in 'result'" + (envelope.resultShape == null ? "" : " (found " + envelope.resultShape + ")"));
        }
        if (!envelope.hasResultInfo && !envelope.registrations.isEmpty()) {
            // Without result_info there is no way to know whether more pages follow; guessing
            // "no" would turn a truncated scan into a false all-clear.
            throw new CloudflareApiException(httpStatus, "Cloudflare's answer for account " + accountId
                    + " has registrations but no 'result_info', so the next page is unknown");
        }
        String cursor = envelope.cursor == null || envelope.cursor.isEmpty() ? null : envelope.cursor;
        return new RegistrationsPage(envelope.registrations, cursor);
    }

    private static CloudflareApiException httpError(String accountId, int httpStatus, Envelope envelope) {
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

    private static String errorsText(Envelope envelope) {
        return envelope.errors.isEmpty() ? "" : ": " + String.join("; ", envelope.errors);
    }

    private Envelope readEnvelope(JsonParser parser) throws IOException {
        Envelope envelope = new Envelope();
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "the answer is not a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "success" -> envelope.success = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
                case "errors" -> readErrors(parser, value, envelope.errors);
                case "result" -> {
                    if (value == JsonToken.START_ARRAY) {
                        envelope.registrations = readRegistrations(parser);
                    } else {
                        envelope.resultShape = switch (value) {
                            case VALUE_NULL -> "null";
                            case START_OBJECT -> "an object";
                            default -> "the value " + parser.getText();
                        };
                        parser.skipChildren();
                    }
                }
                case "result_info" -> {
                    if (value == JsonToken.START_OBJECT) {
                        envelope.hasResultInfo = true;
                        envelope.cursor = readCursor(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
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
                    case "code" -> code = text(parser);
                    case "message" -> message = text(parser);
                    default -> parser.skipChildren();
                }
            }
            errors.add("Cloudflare error " + (code == null ? "?" : code) + " " + (message == null ? "" : message).strip());
        }
    }

    private static String readCursor(JsonParser parser) throws IOException {
        String cursor = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("cursor")) {
                cursor = text(parser);
            } else {
                parser.skipChildren();
            }
        }
        return cursor;
    }

    private static List<Registration> readRegistrations(JsonParser parser) throws IOException {
        List<Registration> registrations = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                registrations.add(readRegistration(parser));
            } else {
                parser.skipChildren();
                registrations.add(Registration.unreadable("registration is not a JSON object"));
            }
        }
        return registrations;
    }

    private static Registration readRegistration(JsonParser parser) throws IOException {
        String id = null, lastSeenAt = null, revokedAt = null, keyType = null, tunnelType = null;
        String[] device = new String[3];
        String[] user = new String[3];
        String[] policy = new String[1];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = text(parser);
                case "last_seen_at" -> lastSeenAt = text(parser);
                case "revoked_at" -> revokedAt = text(parser);
                case "key_type" -> keyType = text(parser);
                case "tunnel_type" -> tunnelType = text(parser);
                case "device" -> readObject(parser, device, "id", "name", "client_version");
                case "user" -> readObject(parser, user, "id", "email", "name");
                case "policy" -> readObject(parser, policy, "name");
                default -> parser.skipChildren();
            }
        }
        String defect = id == null || id.isBlank() ? "registration has no id" : null;
        return new Registration(id, device[0], device[1], device[2], user[0], user[1], user[2],
                lastSeenAt, revokedAt, keyType, tunnelType, policy[0], defect);
    }

    /** Fills {@code into} with the named fields of a nested object; null or a non-object leaves it empty. */
    private static void readObject(JsonParser parser, String[] into, String... names) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            boolean known = false;
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(field)) {
                    into[i] = text(parser);
                    known = true;
                    break;
                }
            }
            if (!known) {
                parser.skipChildren();
            }
        }
    }

    /** The value as text: strings as they are, numbers and booleans as written, null and structures as null. */
    private static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static final class Envelope {
        Boolean success;
        final List<String> errors = new ArrayList<>();
        List<Registration> registrations;
        String resultShape;
        boolean hasResultInfo;
        String cursor;
    }
}
