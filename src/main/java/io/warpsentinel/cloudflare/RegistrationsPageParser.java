package io.warpsentinel.cloudflare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * Reads one "List registrations" answer with Jackson's streaming parser, over the buffered body.
 * The first pass checks the page whole: a fault of the page (HTTP error,
 * {@code success} not true, malformed JSON, {@code result} not an array, no {@code result_info}
 * on a non-empty page, a cursor that is neither a string nor null, an envelope field given
 * twice) throws {@link CloudflareApiException} before a single record is used: a
 * {@link TransientApiException} where trying again may help (5xx, 408, a body that is not JSON).
 * A page of up to {@value #KEPT_RECORDS} records is read in that same pass and its records kept;
 * a larger one is streamed one record at a time in a second pass, so a page of any size costs the
 * memory of one record. Faults of a single record only mark that record:
 * one broken or hostile record never hides the rest of the page.
 */
public final class RegistrationsPageParser {

    // Jackson reads a string whole before anyone can look at it: past this it stops, instead of
    // filling the heap with one value.
    private static final int LONGEST_READABLE = 1_000_000;
    // A page up to this many records is read in one pass, its records kept in memory (a few MB at
    // most); a larger one is checked first and streamed in a second pass.
    static final int KEPT_RECORDS = 5_000;

    final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(LONGEST_READABLE).build()).build();
    private final FailureText failureText;

    public RegistrationsPageParser(FailureText failureText) {
        this.failureText = failureText;
    }

    /** Checks the buffered answer and returns its page; records whose id {@code firstSeen} refuses are left out. */
    RegistrationsPage parse(String accountId, int httpStatus, PageBody body, Predicate<String> firstSeen) {
        PageEnvelope<Registration> envelope;
        try {
            envelope = firstPass(body, KEPT_RECORDS, RegistrationReader::record);
        } catch (JsonProcessingException e) {
            body.close();
            if (httpStatus / 100 != 2) {
                throw httpError(accountId, httpStatus, PageEnvelope.empty());
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
        List<Registration> kept = envelope.kept;
        return new RegistrationsPage(envelope.records, cursor, body, checked -> new Records(accountId, body, kept,
                checked ? firstSeen : id -> true));
    }

    /**
     * A value too long to read is not the page's fault but one record's: the page is checked
     * again without reading records, and the record's fault shows when the records stream.
     */
    <T> PageEnvelope<T> firstPass(PageBody body, int keepUpTo, PageEnvelope.RecordReader<T> records) throws IOException {
        try (JsonParser parser = json.createParser(body.open())) {
            return PageEnvelope.read(parser, keepUpTo, records);
        } catch (StreamConstraintsException tooLong) {
            if (keepUpTo == 0) {
                throw tooLong;
            }
            return firstPass(body, 0, records);
        }
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

    private void check(String accountId, int httpStatus, PageEnvelope<?> envelope) {
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

    private CloudflareApiException httpError(String accountId, int httpStatus, PageEnvelope<?> envelope) {
        return httpError("Cloudflare answered HTTP " + httpStatus + " for account " + accountId, httpStatus, envelope,
                httpStatus == 404 ? " (check the account id in cloudflare.account-ids)" : readHint(httpStatus));
    }

    /** What to check when a read is refused. */
    static String readHint(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> " (check CLOUDFLARE_API_TOKEN: the token is missing, expired or malformed)";
            case 403 -> " (the token needs the 'Zero Trust Read' permission on this account)";
            default -> "";
        };
    }

    /** An HTTP error with Cloudflare's own words and a hint: one worth retrying (5xx, 408) is a {@link TransientApiException}. */
    CloudflareApiException httpError(String what, int httpStatus, PageEnvelope<?> envelope, String hint) {
        String message = what + errorsText(envelope) + hint;
        return httpStatus >= 500 || httpStatus == 408 ? new TransientApiException(httpStatus, message)
                : new CloudflareApiException(httpStatus, message);
    }

    /** Cloudflare's own words, cleaned (a server may echo the token, or answer with megabytes of text). */
    String errorsText(PageEnvelope<?> envelope) {
        return envelope.errors.isEmpty() ? "" : ": " + failureText.clean(String.join("; ", envelope.errors));
    }

    /**
     * The registrations of a checked body: those the first pass kept, or else streamed from the
     * body (closing the parser at the end of the array).
     */
    private final class Records implements Iterator<Registration> {
        private final String accountId;
        private final Iterator<Registration> kept;
        private final JsonParser parser;
        private final Predicate<String> firstSeen;
        private Registration next;
        private boolean done;

        Records(String accountId, PageBody body, List<Registration> kept, Predicate<String> firstSeen) {
            this.accountId = accountId;
            this.firstSeen = firstSeen;
            this.kept = kept == null ? null : kept.iterator();
            if (kept != null) {
                parser = null;
                return;
            }
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
                    Registration registration = kept != null ? (kept.hasNext() ? kept.next() : null) : streamed();
                    if (registration == null) {
                        done = true;
                    } else if (firstSeen.test(registration.id())) {
                        next = registration;
                    }
                } catch (IOException e) {
                    throw unreadable(e);
                } catch (Error e) {
                    // The split pulls records outside any route step, where Camel catches only
                    // exceptions: an Error (out of memory) must fail the account, not escape the run.
                    throw new IllegalStateException("Reading the registrations of account " + accountId + " failed: " + e, e);
                }
            }
            return next != null;
        }

        /** The next record of the body, or null at the end of the array. */
        private Registration streamed() throws IOException {
            if (parser.nextToken() == JsonToken.END_ARRAY) {
                parser.close();
                return null;
            }
            return RegistrationReader.record(parser);
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
}
