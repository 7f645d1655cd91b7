package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.http.ResponseDeadlineException;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The calls on registrations that remediation makes besides listing them (API-NOTES.md, "Acting
 * on registrations"): get one, revoke a list, delete a list. Builds their URLs (a registration
 * id is data from the API, so it is encoded like any) and reads their answers, judged like a
 * page's: Cloudflare's error quoted, a 5xx or 408 worth another try.
 */
public final class RegistrationCalls {

    /** Cloudflare takes at most this many ids per bulk call (the deprecated calls took 200; the notes advise 100). */
    public static final int MOST_IDS_PER_CALL = 100;

    private final String baseUrl;
    private final RegistrationsPageParser parser;
    private final FailureText failureText;

    public RegistrationCalls(String baseUrl, FailureText failureText) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.parser = new RegistrationsPageParser(failureText);
        this.failureText = failureText;
    }

    /**
     * {@code GET /accounts/{account}/devices/registrations/{id}}, with the device policy when
     * exclusions by policy name need it.
     */
    public String one(String accountId, String registrationId, boolean withPolicy) {
        return registrations(accountId) + "/" + encode(registrationId) + (withPolicy ? "?include=policy" : "");
    }

    /**
     * A registration id in a path segment or a query value: every character but letters, digits
     * and {@code -_.*} percent-encoded, a space as {@code %20} (a {@code +} would be read as a
     * plus by a strict server, and hit registration "a+b" instead of "a b").
     */
    public static String encode(String registrationId) {
        return URLEncoder.encode(registrationId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code POST .../registrations/revoke?id=A&id=B}, or with an empty {@code verb}, {@code DELETE .../registrations?id=A&id=B}. */
    public String bulk(String accountId, String verb, List<String> registrationIds) {
        if (registrationIds.isEmpty() || registrationIds.size() > MOST_IDS_PER_CALL) {
            throw new IllegalArgumentException("a bulk call takes 1 to " + MOST_IDS_PER_CALL + " ids, not " + registrationIds.size());
        }
        return registrations(accountId) + (verb.isEmpty() ? "" : "/" + verb) + "?" + registrationIds.stream()
                .map(id -> "id=" + encode(id)).collect(Collectors.joining("&"));
    }

    private String registrations(String accountId) {
        return baseUrl + "/accounts/" + accountId + "/devices/registrations";
    }

    /**
     * The answer to {@link #one}: the registration as Cloudflare holds it now, or null when it
     * answered 404 (deleted).
     */
    public Registration readOne(String accountId, String registrationId, int httpStatus, InputStream body) {
        String what = "Cloudflare answered HTTP " + httpStatus + " for registration " + registrationId + " of account " + accountId;
        if (httpStatus == 404) {
            return null;
        }
        try (PageBody buffered = read(body, httpStatus, what)) {
            PageEnvelope envelope = envelope(buffered, httpStatus, what, false, RegistrationsPageParser.readHint(httpStatus));
            if (!"an object".equals(envelope.resultShape)) {
                throw new CloudflareApiException(httpStatus, "Cloudflare's answer for registration " + registrationId + " of account "
                        + accountId + " has " + (envelope.resultShape == null ? "an array" : envelope.resultShape)
                        + " in 'result', where the registration belongs");
            }
            try (JsonParser json = parser.json.createParser(buffered.open())) {
                json.nextToken();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if (field.equals("result")) {
                        return RegistrationReader.read(json);
                    }
                    json.skipChildren();
                }
            }
            throw new IllegalStateException("the result object the first pass found is missing");
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, what + ", unreadable: " + failureText.describe(e));
        }
    }

    /**
     * The answer to a revoke or delete: anything but a 2xx with {@code success: true} fails, a
     * 5xx or 408 as a {@link TransientApiException}. A 2xx that cannot be read whole (cut short,
     * too slow) fails with its status: the write may have been applied.
     */
    public void checkWrite(String accountId, String what, int httpStatus, InputStream body) {
        String failure = "Cloudflare answered HTTP " + httpStatus + " to " + what + " in account " + accountId;
        try (PageBody buffered = read(body, httpStatus, failure)) {
            envelope(buffered, httpStatus, failure, true, switch (httpStatus) {
                case 401 -> " (check CLOUDFLARE_API_WRITE_TOKEN: the token is missing, expired or malformed)";
                case 403 -> " (cloudflare.api-write-token needs the 'Zero Trust Write' permission on this account)";
                default -> "";
            });
        }
    }

    private PageBody read(InputStream body, int httpStatus, String what) {
        try {
            return PageBody.read(body == null ? InputStream.nullInputStream() : body);
        } catch (ResponseDeadlineException e) {
            throw new TransientApiException(httpStatus, what + ", too slowly: " + failureText.describe(e));
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, what + ", unreadable: " + failureText.describe(e));
        }
    }

    /**
     * The answer's envelope, checked: an HTTP error, a body that is not JSON, or {@code success}
     * not true fail. A write answered 2xx in words nobody can read is not sent again (it may
     * have been applied): it fails for good, and its registrations are looked at one by one.
     */
    private PageEnvelope envelope(PageBody body, int httpStatus, String what, boolean write, String hint) {
        PageEnvelope envelope;
        try (JsonParser json = parser.json.createParser(body.open())) {
            envelope = PageEnvelope.read(json, 0);
        } catch (JsonProcessingException e) {
            if (httpStatus / 100 != 2) {
                throw parser.httpError(what, httpStatus, PageEnvelope.empty(), hint);
            }
            String malformed = what + ", in malformed JSON: " + failureText.clean(e.getOriginalMessage());
            throw write ? new CloudflareApiException(httpStatus, malformed) : new TransientApiException(httpStatus, malformed);
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, what + ", unreadable: " + failureText.describe(e));
        }
        if (httpStatus / 100 != 2) {
            throw parser.httpError(what, httpStatus, envelope, hint);
        }
        if (!Boolean.TRUE.equals(envelope.success) || envelope.duplicate != null) {
            throw new CloudflareApiException(httpStatus, what + " with success=" + envelope.success
                    + (envelope.duplicate == null ? "" : " and the field '" + envelope.duplicate + "' twice") + parser.errorsText(envelope));
        }
        return envelope;
    }
}
