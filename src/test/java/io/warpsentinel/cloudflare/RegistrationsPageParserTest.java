package io.warpsentinel.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.finding.Registration;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.Secrets;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistrationsPageParserTest {

    private final RegistrationsPageParser parser = new RegistrationsPageParser(new FailureText(Secrets.global()));

    private RegistrationsPage parse(int status, String body) {
        return parser.parse("acc-1", status, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheDocumentedExampleAndItsCursor() {
        RegistrationsPage page = parse(200, """
            {"errors":[],"messages":[],"result":[{"created_at":"2025-02-14T13:17:00Z","deleted_at":null,
              "device":{"client_version":"1.0.0","id":"32aa0404","name":"My Device"},"id":"11ffb86f",
              "key":"U+QT","key_type":"secp256r1","last_seen_at":"2025-02-14T13:17:00Z","revoked_at":null,
              "tunnel_type":"masque","updated_at":"2025-02-14T13:17:00Z",
              "user":{"email":"alice@example.org","id":"30323c1f","name":"Alice"}}],
             "result_info":{"count":1,"cursor":"ais86dftf.asdf7ba8","per_page":10,"total_count":null},"success":true}""");

        assertThat(page.nextCursor()).isEqualTo("ais86dftf.asdf7ba8");
        assertThat(page.registrations()).containsExactly(new Registration("11ffb86f", "32aa0404", "My Device", "1.0.0",
                "30323c1f", "alice@example.org", "Alice", "2025-02-14T13:17:00Z", "2025-02-14T13:17:00Z", null, "secp256r1", "masque", null, null, null));
    }

    @Test
    void skipsUnknownFieldsAndToleratesMissingOrNullUserAndOddValues() {
        RegistrationsPage page = parse(200, """
            {"success":true,"result_info":{"cursor":""},"new_top_level":{"x":[1,{"y":2}]},"result":[
              {"id":"a","last_seen_at":"2025-01-01T00:00:00Z","user":null,"device":{"id":"d","name":"n","future":{"z":1}},"policy":{"id":"p"}},
              {"id":"b","last_seen_at":{"unexpected":"object"},"device":null},
              "not an object",
              {"last_seen_at":"2025-01-01T00:00:00Z"},
              {"id":42,"last_seen_at":"2025-01-01T00:00:00Z","revoked_at":"2025-02-01T00:00:00Z"}]}""");

        assertThat(page.nextCursor()).isNull();
        assertThat(page.registrations()).hasSize(5);
        assertThat(page.registrations().get(0).userId()).isNull();
        assertThat(page.registrations().get(0).deviceName()).isEqualTo("n");
        assertThat(page.registrations().get(1).lastSeenAt()).isNull();
        assertThat(page.registrations().get(1).defect()).isEqualTo("last_seen_at is an object, not an RFC 3339 timestamp");
        assertThat(page.registrations().get(2).defect()).isEqualTo("registration is not a JSON object");
        assertThat(page.registrations().get(3).defect()).isEqualTo("registration has no id");
        assertThat(page.registrations().get(4).id()).isEqualTo("42");
        assertThat(page.registrations().get(4).revokedAt()).isEqualTo("2025-02-01T00:00:00Z");
    }

    @Test
    void anEmptyPageNeedsNoResultInfo() {
        RegistrationsPage page = parse(200, "{\"success\":true,\"errors\":[],\"result\":[]}");
        assertThat(page.isEmpty()).isTrue();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void anHttpErrorQuotesCloudflaresErrorsAndAHint() {
        assertThatThrownBy(() -> parse(403, "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"result\":null}"))
                .isInstanceOf(CloudflareApiException.class)
                .hasMessage("Cloudflare answered HTTP 403 for account acc-1: Cloudflare error 10000 Authentication error"
                        + " (the token needs the 'Zero Trust Read' permission on this account)");
        assertThatThrownBy(() -> parse(502, "<html>Bad gateway</html>"))
                .hasMessage("Cloudflare answered HTTP 502 for account acc-1");
    }

    @Test
    void pageLevelFaultsAreErrorsNotEmptyPages() {
        assertThatThrownBy(() -> parse(200, "{\"success\":false,\"errors\":[{\"code\":1003,\"message\":\"Invalid cursor\"}],\"result\":[]}"))
                .hasMessageContaining("success=false").hasMessageContaining("Cloudflare error 1003 Invalid cursor");
        assertThatThrownBy(() -> parse(200, "{\"result\":[],\"result_info\":{}}"))
                .hasMessageContaining("success=null");
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":[{\"id\":\"a\"}"))
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> parse(200, "[]"))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":{\"id\":\"a\"},\"result_info\":{}}"))
                .hasMessageContaining("no registrations array").hasMessageContaining("an object");
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":null}"))
                .hasMessageContaining("no registrations array");
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":[{\"id\":\"a\"}]}"))
                .hasMessageContaining("no 'result_info'");
    }

    @Test
    void aCursorThatIsNeitherAStringNorNullIsAFaultOfThePage() {
        for (String cursor : new String[] {"{\"next\":\"p2\"}", "42", "true", "[\"p2\"]"}) {
            assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":[{\"id\":\"a\"}],\"result_info\":{\"cursor\":" + cursor + "}}"))
                    .as(cursor).isInstanceOf(CloudflareApiException.class).isNotInstanceOf(TransientApiException.class)
                    .hasMessageContaining("as result_info.cursor, where a string or null belongs");
        }
        assertThat(parse(200, "{\"success\":true,\"result\":[{\"id\":\"a\"}],\"result_info\":{\"cursor\":null}}").nextCursor()).isNull();
    }

    @Test
    void anEnvelopeFieldGivenTwiceIsAFaultSoALaterEmptyResultCannotWin() {
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":[{\"id\":\"a\"}],\"result_info\":{\"cursor\":\"\"},\"result\":[]}"))
                .hasMessageContaining("has the field 'result' twice");
        assertThatThrownBy(() -> parse(200, "{\"success\":true,\"result\":[],\"result_info\":{\"cursor\":\"c2\",\"cursor\":\"\"}}"))
                .hasMessageContaining("has the field 'result_info.cursor' twice");
        assertThatThrownBy(() -> parse(200, "{\"success\":false,\"success\":true,\"result\":[]}"))
                .hasMessageContaining("'success' twice");
    }

    @Test
    void aRecordWithAFieldTwiceOrATimestampThatIsNotAStringCannotBeJudged() {
        RegistrationsPage page = parse(200, """
            {"success":true,"result_info":{"cursor":""},"result":[
              {"id":"a","last_seen_at":"2020-01-01T00:00:00Z","id":"b"},
              {"id":"c","last_seen_at":"2020-01-01T00:00:00Z","revoked_at":false},
              {"id":"d","last_seen_at":"2020-01-01T00:00:00Z","revoked_at":0},
              {"id":"e","last_seen_at":1735689600},
              {"id":{"x":1}},
              {"id":"f","device":{"name":"one","name":"two"}}]}""");

        assertThat(page.registrations()).extracting(Registration::defect).containsExactly(
                "id is given twice", "revoked_at is the boolean false, not an RFC 3339 timestamp",
                "revoked_at is the number 0, not an RFC 3339 timestamp", "last_seen_at is the number 1735689600, not an RFC 3339 timestamp",
                "id is an object, not a string", "device.name is given twice");
    }

    @Test
    void textNoReportCouldHoldIsReplacedAndTheRecordSaysSo() {
        RegistrationsPage page = parse(200, "{\"success\":true,\"result_info\":{\"cursor\":\"\"},\"result\":["
                + "{\"id\":\"a\",\"device\":{\"name\":\"pc\\ud800\\u0000!\"},\"user\":{\"email\":\"" + "e".repeat(1200) + "\"}}]}");

        Registration registration = page.registrations().get(0);
        assertThat(registration.deviceName()).isEqualTo("pc\uFFFD\uFFFD!");
        assertThat(registration.userEmail()).hasSize(1000);
        assertThat(registration.remark()).isEqualTo("device.name held characters that are not valid text; they were replaced by U+FFFD; "
                + "user.email was 1,200 characters long; cut to 1000");
        assertThat(registration.defect()).isNull();
    }

    @Test
    void anIdThatHadToBeRepairedIdentifiesNoRegistration() {
        RegistrationsPage page = parse(200, "{\"success\":true,\"result_info\":{\"cursor\":\"\"},\"result\":["
                + "{\"id\":\"a\\ud800\"},{\"id\":\"" + "i".repeat(1200) + "\"}]}");

        assertThat(page.registrations()).extracting(Registration::id).containsOnlyNulls();
        assertThat(page.registrations()).extracting(Registration::defect)
                .containsOnly("id is not valid text or is too long, so it identifies no registration");
    }

    @Test
    void anErrorWhileRecordsStreamFailsTheIterationInsteadOfEscapingIt() {
        RegistrationsPage page = parser.parse("acc-1", 200, PageBody.of(("{\"success\":true,\"result_info\":{\"cursor\":\"\"},"
                + "\"result\":[{\"id\":\"a\"}]}").getBytes(StandardCharsets.UTF_8)), id -> {
                    throw new OutOfMemoryError("simulated");
                });

        assertThatThrownBy(() -> page.iterator().hasNext()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang.OutOfMemoryError: simulated").hasMessageContaining("acc-1");
    }
}
