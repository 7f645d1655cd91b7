package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.http.ResponseDeadlineException;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;

/**
 * The answers to the calls on registrations that remediation makes besides listing them
 * (API-NOTES.md, "Acting on registrations"): get one, revoke a list, delete a list. Judged like
 * a page's: Cloudflare's error quoted, a 5xx or 408 worth another try.
 */
public final class RegistrationCalls {

    private final RegistrationsPageParser parser;
    private final FailureText failureText;

    public RegistrationCalls(FailureText failureText) {
        this.parser = new RegistrationsPageParser(failureText);
        this.failureText = failureText;
    }

    /**
     * The answer to {@link CloudflareUrls#registration}: the registration as Cloudflare holds it now, or null when it
     * answered 404 (deleted).
     */
    public Registration readOne(String accountId, String registrationId, int httpStatus, InputStream body) {
        String what = "Cloudflare answered HTTP " + httpStatus + " for registration " + registrationId + " of account " + accountId;
        if (httpStatus == 404) {
            return null;
        }
        try (PageBody buffered = read(body, httpStatus, what)) {
            PageEnvelope<Void> envelope = envelope(buffered, httpStatus, what, false, RegistrationsPageParser.readHint(httpStatus));
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
    private PageEnvelope<Void> envelope(PageBody body, int httpStatus, String what, boolean write, String hint) {
        PageEnvelope<Void> envelope;
        try (JsonParser json = parser.json.createParser(body.open())) {
            envelope = PageEnvelope.read(json);
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
