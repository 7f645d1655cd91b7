package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.warpsentinel.finding.Device;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one answer of the physical-devices listing (API-NOTES.md, "Physical devices"), checked
 * whole like a page of registrations: an HTTP error, {@code success} not true, malformed JSON,
 * {@code result} not an array or an envelope field given twice fail it, a 5xx or 408 as worth
 * another try. Only the fields a report shows are read; text is repaired and cut like a
 * registration's, and a device without an id is left out (it names no registration's device).
 */
final class DevicePages {

    /** One page: its devices, and the cursor of the next page (null on the last). */
    record Page(List<Device> devices, String nextCursor) {
    }

    private final RegistrationsPageParser parser;
    private final FailureText failureText;

    DevicePages(FailureText failureText) {
        this.parser = new RegistrationsPageParser(failureText);
        this.failureText = failureText;
    }

    Page read(String accountId, int httpStatus, PageBody body) {
        String what = "Cloudflare answered HTTP " + httpStatus + " for the physical devices of account " + accountId;
        try (body) {
            PageEnvelope envelope;
            try (JsonParser json = parser.json.createParser(body.open())) {
                envelope = PageEnvelope.read(json, 0);
            } catch (JsonProcessingException e) {
                if (httpStatus / 100 != 2) {
                    throw parser.httpError(what, httpStatus, PageEnvelope.empty(), "");
                }
                throw new TransientApiException(httpStatus, what + ", in malformed JSON: " + failureText.clean(e.getOriginalMessage()));
            }
            if (httpStatus / 100 != 2) {
                throw parser.httpError(what, httpStatus, envelope, "");
            }
            if (envelope.duplicate != null || !Boolean.TRUE.equals(envelope.success) || envelope.records < 0 || envelope.cursorShape != null) {
                throw new CloudflareApiException(httpStatus, what + " with success=" + envelope.success
                        + (envelope.records < 0 ? " and no devices array in 'result'" : "")
                        + (envelope.duplicate == null ? "" : " and the field '" + envelope.duplicate + "' twice")
                        + (envelope.cursorShape == null ? "" : " and " + envelope.cursorShape + " as result_info.cursor")
                        + parser.errorsText(envelope));
            }
            List<Device> devices = new ArrayList<>(envelope.records);
            try (JsonParser json = parser.json.createParser(body.open())) {
                json.nextToken();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if (!field.equals("result")) {
                        json.skipChildren();
                        continue;
                    }
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        Device device = json.currentToken() == JsonToken.START_OBJECT ? device(json) : skipped(json);
                        if (device != null && device.id() != null) {
                            devices.add(device);
                        }
                    }
                }
            }
            String cursor = envelope.cursor == null || envelope.cursor.isEmpty() || envelope.records == 0 ? null : envelope.cursor;
            return new Page(devices, cursor);
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, what + ", unreadable: " + failureText.describe(e));
        }
    }

    private static Device skipped(JsonParser json) throws IOException {
        json.skipChildren();
        return null;
    }

    private static Device device(JsonParser json) throws IOException {
        String id = null;
        String type = null;
        String os = null;
        String manufacturer = null;
        String model = null;
        String serial = null;
        String lastSeen = null;
        String active = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "id" -> id = text(json);
                case "device_type" -> type = text(json);
                case "os_version" -> os = text(json);
                case "manufacturer" -> manufacturer = text(json);
                case "model" -> model = text(json);
                case "serial_number" -> serial = text(json);
                case "last_seen_at" -> lastSeen = text(json);
                case "active_registrations" -> active = text(json);
                // a field a report does not show: skipped unread (no String made of it), a structure whole
                default -> json.skipChildren();
            }
        }
        return new Device(id, type, os, manufacturer, model, serial, lastSeen, active);
    }

    /** A field's value as text, repaired and cut like a registration's; null for null or a structure. */
    private static String text(JsonParser json) throws IOException {
        String value = RegistrationReader.scalar(json);
        return value == null ? null : RegistrationReader.shortened(RegistrationReader.validText(value));
    }
}
