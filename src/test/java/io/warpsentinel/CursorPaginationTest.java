package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.warpsentinel.CloudflareStub.envelope;
import static io.warpsentinel.CloudflareStub.registrations;
import static io.warpsentinel.CloudflareStub.withCursor;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.ScanRun;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorPaginationTest extends ScanRouteTestSupport {

    private static final String RECENT = Instant.now().minus(1, ChronoUnit.DAYS).toString();
    // A cursor with the characters that must be URL-encoded in a query string.
    private static final String SECOND_PAGE = "c2+/x=";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.max-pages", "5");
        return settings;
    }

    @ParameterizedTest(name = "last page ends with {0}")
    @ValueSource(strings = {"an empty cursor", "a null cursor", "no cursor", "no result_info cursor at all", "an empty page"})
    void followsTheCursorUntilTheLastPageWithTheSameFiltersOnEveryPage(String ending) throws Exception {
        cloudflare.page("acc-1", null, withCursor(SECOND_PAGE, registrations("a", 2, RECENT)));
        cloudflare.page("acc-1", SECOND_PAGE, withCursor("c3", registrations("b", 2, RECENT)));
        List<String> last = registrations("c", 1, RECENT);
        int expectedRequests = 3;
        switch (ending) {
            case "an empty cursor" -> cloudflare.page("acc-1", "c3", withCursor("", last));
            case "a null cursor" -> cloudflare.page("acc-1", "c3", envelope("{\"count\":1,\"cursor\":null,\"per_page\":2}", last));
            case "no cursor" -> cloudflare.page("acc-1", "c3", envelope("{\"count\":1,\"per_page\":2}", last));
            case "no result_info cursor at all" -> cloudflare.page("acc-1", "c3", envelope("{}", last));
            case "an empty page" -> {
                cloudflare.page("acc-1", "c3", withCursor("c4", last));
                // An empty page ends the walk even when it still carries a cursor.
                cloudflare.page("acc-1", "c4", withCursor("c5", List.of()));
                expectedRequests = 4;
            }
            default -> throw new IllegalArgumentException(ending);
        }

        ScanRun run = scan();

        assertThat(run.getFailures()).isEmpty();
        assertThat(run.isSuccessful()).isTrue();
        // Every request matched a stub that demands status=all, per_page=2, the bearer token and the right cursor.
        WIREMOCK.verify(expectedRequests, getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1"))));
        assertThat(WIREMOCK.findAllUnmatchedRequests()).isEmpty();
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/scanned").asLong()).isEqualTo(5);
        assertThat(readJson(onlyReport("acc-1", ".json")).at("/summary/pages").asInt()).isEqualTo(expectedRequests);
    }

    @Test
    void aCursorSeenBeforeStopsTheScanAndLeavesNoReport() throws Exception {
        cloudflare.page("acc-1", null, withCursor("c2", registrations("a", 2, RECENT)));
        cloudflare.page("acc-1", "c2", withCursor("c3", registrations("b", 2, RECENT)));
        cloudflare.page("acc-1", "c3", withCursor("c2", registrations("c", 2, RECENT)));

        ScanRun run = scan();

        assertThat(run.isSuccessful()).isFalse();
        assertThat(run.getFailures()).containsOnlyKeys("acc-1");
        assertThat(run.getFailures().get("acc-1")).contains("cursor 'c2'").contains("a second time");
        assertThat(allFiles()).as("no report, and no temporary file either").isEmpty();
    }

    @Test
    void moreThanMaxPagesStopsTheScan() throws Exception {
        for (int page = 0; page < 6; page++) {
            cloudflare.page("acc-1", page == 0 ? null : "p" + page, withCursor("p" + (page + 1), registrations("r" + page + "-", 2, RECENT)));
        }

        ScanRun run = scan();

        assertThat(run.getFailures()).containsOnlyKeys("acc-1");
        assertThat(run.getFailures().get("acc-1")).contains("sentinel.max-pages=5");
        WIREMOCK.verify(5, getRequestedFor(urlPathEqualTo(CloudflareStub.path("acc-1"))));
        assertThat(allFiles()).isEmpty();
    }
}
