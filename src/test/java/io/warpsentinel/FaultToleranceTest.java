package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.warpsentinel.CloudflareStub.error;
import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.ok;
import static io.warpsentinel.CloudflareStub.registrations;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.warpsentinel.finding.ScanRun;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** WireMock injects the faults a real network and a busy API produce; the report must stay exact. */
class FaultToleranceTest extends ScanRouteTestSupport {

    private static final String SEEN = "2020-01-01T00:00:00Z"; // stale: every registration is a finding

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("cloudflare.retry.max-retries", "3");
        settings.put("cloudflare.retry.initial-delay", "10");
        settings.put("cloudflare.retry.max-delay", "50");
        settings.put("camel.component.http.so-timeout", "700");
        settings.put("camel.component.http.response-timeout", "700");
        settings.put("sentinel.max-wait", "PT5S");
        String test = String.valueOf(getCurrentTestName());
        if (test.contains("Drips")) {
            settings.put("sentinel.scan-timeout", "PT3S");
        }
        if (test.contains("Storm")) {
            settings.put("sentinel.scan-timeout", "PT4S");
            settings.put("sentinel.max-wait", "PT10M");
        }
        if (test.contains("DoesNotResolve")) {
            settings.put("cloudflare.base-url", "http://api.example.invalid/client/v4");
        }
        if (test.contains("TooLarge")) {
            settings.put("sentinel.http.max-response-bytes", "20000");
        }
        return settings;
    }

    /** Three pages (a1-a2, b1-b2, c1) whose middle or last page is answered by {@code faults} first. */
    private void threePages(String faultyCursor, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... faults) {
        Map<String, String> pages = Map.of(
                "", withCursor("p2", registrations("a", 2, SEEN)),
                "p2", withCursor("p3", registrations("b", 2, SEEN)),
                "p3", lastPage(registrations("c", 1, SEEN)));
        pages.forEach((cursor, body) -> {
            String at = cursor.isEmpty() ? null : cursor;
            if (cursor.equals(faultyCursor)) {
                var answers = java.util.Arrays.copyOf(faults, faults.length + 1);
                answers[faults.length] = ok(body);
                cloudflare.sequence("acc-1", at, answers);
            } else {
                cloudflare.page("acc-1", at, body);
            }
        });
    }

    private List<String> reportedIds() throws Exception {
        return readCsv(onlyReport("acc-1", ".csv")).stream().map(r -> r.get("registration_id")).toList();
    }

    /** The cursor of each request, in the order they were made ("" for the first page). */
    private static List<String> cursorsRequested() {
        return requests().stream().map(e -> {
            var cursor = e.getRequest().queryParameter("cursor");
            return cursor.isPresent() ? cursor.firstValue() : "";
        }).toList();
    }

    private static List<ServeEvent> requests() {
        return WIREMOCK.getAllServeEvents().stream().sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
    }

    @Test
    void a429WithRetryAfterOnPage3IsWaitedOutThenTheScanCompletesExactly() throws Exception {
        threePages("p3", aResponse().withStatus(429).withHeader("Retry-After", "1").withBody(error(971, "Please wait and consider throttling your request speed")));

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        assertThat(reportedIds()).containsExactly("a1", "a2", "b1", "b2", "c1");
        assertThat(cursorsRequested()).containsExactly("", "p2", "p3", "p3");
        List<ServeEvent> requests = requests();
        long waitedMillis = requests.get(3).getRequest().getLoggedDate().getTime() - requests.get(2).getRequest().getLoggedDate().getTime();
        assertThat(waitedMillis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
    }

    @Test
    void aRetryAfterLongerThanMaxWaitFailsAtOnceWithoutTheHttpClientRetryingUnderneath() throws Exception {
        threePages("p2", aResponse().withStatus(429).withHeader("Retry-After", "40"));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("429", "Retry-After asks 40 s more", "sentinel.max-wait (PT5S)");
        assertThat(cursorsRequested()).as("one 429, never asked again after a hidden 40 s wait").containsExactly("", "p2");
    }

    @Test
    void aPageThatDripsPastTheScanTimeoutIsCutOffAtTheDeadline() throws Exception {
        // a byte every half second: never silent long enough for the 700 ms read timeout
        threePages("p2", ok(withCursor("p3", registrations("b", 2, SEEN))).withChunkedDribbleDelay(60, 30_000));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("sentinel.scan-timeout (PT3S)");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aPageTooLargeFailsClearlyAndIsNotAskedAgain() throws Exception {
        threePages("p2", ok(withCursor("p3", registrations("b", 100, SEEN))));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("page 2 is too large", "larger than 20,000 bytes",
                "sentinel.http.max-response-bytes");
        assertThat(cursorsRequested()).containsExactly("", "p2");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aCursorThatIsAnObjectIsAFaultNeverTheEndOfTheScan() throws Exception {
        cloudflare.page("acc-1", null, CloudflareStub.envelope("{\"cursor\":{\"next\":\"p2\"}}", registrations("a", 2, SEEN)));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("has an object as result_info.cursor");
        assertThat(allFiles()).as("a truncated scan is never reported as complete").isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveFailsAtOnceWithoutRetries() throws Exception {
        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(run.getFailures().get("acc-1")).contains("the host api.example.invalid does not resolve");
        assertThat(logs).doesNotContain("retrying page");
    }

    @Test
    void a503TwiceThenSuccessResumesFromTheSameCursorNeverFromPageOne() throws Exception {
        threePages("p2", aResponse().withStatus(503).withBody(error(10001, "Service unavailable")), aResponse().withStatus(503));

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        assertThat(cursorsRequested()).containsExactly("", "p2", "p2", "p2", "p3");
        assertThat(reportedIds()).containsExactly("a1", "a2", "b1", "b2", "c1");
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/pages").asInt()).isEqualTo(3);
    }

    @Test
    void aConnectionResetMidBodyIsRetried() throws Exception {
        threePages("p2", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        assertThat(cursorsRequested()).containsExactly("", "p2", "p2", "p2", "p3");
        assertThat(reportedIds()).containsExactly("a1", "a2", "b1", "b2", "c1");
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsAbandonedAndRetried() throws Exception {
        threePages("p2", ok(withCursor("p3", registrations("b", 2, SEEN))).withFixedDelay(3000));

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        assertThat(cursorsRequested()).containsExactly("", "p2", "p2", "p3");
        assertThat(reportedIds()).containsExactly("a1", "a2", "b1", "b2", "c1");
    }

    @Test
    void malformedJsonThatStaysMalformedFailsTheAccountAfterTheRetries() throws Exception {
        var broken = ok("{\"success\":true,\"result\":[{\"id\":\"b1\"");
        threePages("p2", broken, broken, broken, broken);

        ScanRun run = scan();

        assertThat(run.getFailures()).containsOnlyKeys("acc-1");
        assertThat(run.getFailures().get("acc-1")).contains("malformed JSON", "acc-1");
        assertThat(cursorsRequested()).containsExactly("", "p2", "p2", "p2", "p2");
        assertThat(allFiles()).as("an incomplete scan is withheld, never published").isEmpty();
    }

    @Test
    void successFalseIsAnErrorAndIsNotRetried() throws Exception {
        threePages("p2", ok("{\"success\":false,\"errors\":[{\"code\":1003,\"message\":\"Invalid cursor\"}],\"messages\":[],\"result\":null}"));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("success=false", "Cloudflare error 1003 Invalid cursor");
        assertThat(cursorsRequested()).containsExactly("", "p2");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aRetryAfterOfZeroIsNoStormAndTheScanTimeoutEndsIt() throws Exception {
        aRateLimitStormEndsAtTheScanTimeout("0");
    }

    @Test
    void aRetryAfterNegativeIsNoStormAndTheScanTimeoutEndsIt() throws Exception {
        aRateLimitStormEndsAtTheScanTimeout("-30");
    }

    @Test
    void aRetryAfterDateInThePastIsNoStormAndTheScanTimeoutEndsIt() throws Exception {
        aRateLimitStormEndsAtTheScanTimeout("Wed, 21 Oct 2015 07:28:00 GMT");
    }

    /** Page 2 is answered 429 with {@code retryAfter} for ever: a second at least between two requests, and the deadline holds. */
    private void aRateLimitStormEndsAtTheScanTimeout(String retryAfter) {
        cloudflare.page("acc-1", null, withCursor("p2", registrations("a", 2, SEEN)));
        cloudflare.sequence("acc-1", "p2", aResponse().withStatus(429).withHeader("Retry-After", retryAfter));

        long start = System.nanoTime();
        ScanRun run = scan();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(run.getFailures().get("acc-1")).contains("sentinel.scan-timeout (PT4S)", "retrying page 2 would wait",
                "Retry-After: " + retryAfter);
        List<ServeEvent> requests = requests();
        for (int i = 2; i < requests.size(); i++) {
            assertThat(requests.get(i).getRequest().getLoggedDate().getTime() - requests.get(i - 1).getRequest().getLoggedDate().getTime())
                    .as("the wait before request %d", i + 1).isGreaterThanOrEqualTo(950);
        }
        assertThat(requests.size()).as("1 page, then page 2 at most once a second for 4 s").isBetween(3, 6);
        assertThat(tookMillis).as("the deadline holds: a wait past it is not begun").isLessThan(4_500);
    }

    @Test
    void rateLimitsLongerThanMaxWaitGiveUpClearly() throws Exception {
        var limited = aResponse().withStatus(429).withHeader("Retry-After", "3");
        threePages("p2", limited, limited, limited);

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("429", "sentinel.max-wait (PT5S)", "waited 3 s");
        assertThat(cursorsRequested()).containsExactly("", "p2", "p2");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aFaultThatNeverPassesStopsAfterTheConfiguredRetriesAndTheTokenIsNeverLogged() throws Exception {
        var unavailable = aResponse().withStatus(503).withBody(error(10001, "Service unavailable"));
        threePages("p2", unavailable, unavailable, unavailable, unavailable, unavailable);

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(run.getFailures().get("acc-1")).contains("HTTP 503", "Service unavailable");
        assertThat(cursorsRequested()).as("one try and 3 retries").containsExactly("", "p2", "p2", "p2", "p2");
        assertThat(logs).contains("Scan of account acc-1 failed", "HTTP 503").doesNotContain(CloudflareStub.TOKEN);
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aServerThatEchoesTheTokenNeverGetsItIntoTheLogOrTheOutcome() throws Exception {
        String echo = "Bearer " + CloudflareStub.TOKEN;
        threePages("p2", aResponse().withStatus(502).withBody(echo),
                ok("{\"success\":true,\"result\":[" + echo + "]}"),
                aResponse().withStatus(401).withBody(error(10000, "invalid token " + CloudflareStub.TOKEN)));

        ScanRun run;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            run = scan();
            logs = captured.text();
        }

        assertThat(run.getFailures().get("acc-1")).contains("HTTP 401", "invalid token [redacted]")
                .doesNotContain(CloudflareStub.TOKEN);
        assertThat(logs).contains("retrying page 2", "Scan of account acc-1 failed").doesNotContain(CloudflareStub.TOKEN);
    }
}
