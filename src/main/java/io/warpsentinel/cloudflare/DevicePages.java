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
 * Like a page of registrations, a page of up to {@value RegistrationsPageParser#KEPT_RECORDS}
 * devices is read in the pass that checks it; a larger one in a second pass.
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
            PageEnvelope<Device> envelope;
            try {
                envelope = parser.firstPass(body, RegistrationsPageParser.KEPT_RECORDS, DevicePages::device);
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
            List<Device> devices = envelope.kept != null ? envelope.kept : streamed(body, envelope.records);
            devices.removeIf(device -> device == null || device.id() == null);
            String cursor = envelope.cursor == null || envelope.cursor.isEmpty() || envelope.records == 0 ? null : envelope.cursor;
            return new Page(devices, cursor);
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, what + ", unreadable: " + failureText.describe(e));
        }
    }

    /** The devices of a page too large for the first pass to keep, read in a second. */
    private List<Device> streamed(PageBody body, int records) throws IOException {
        List<Device> devices = new ArrayList<>(records);
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
                    devices.add(device(json));
                }
            }
        }
        return devices;
    }

    /** The device at the parser; null for a record that is no object. */
    private static Device device(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return null;
        }
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
