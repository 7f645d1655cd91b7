package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * reports/index.html as a person reads it from disk, in headless Chromium: each account's latest
 * report and how its last run ended, complete, failed or withheld, with why, rewritten after every
 * account's scan; links only to files that exist; nothing fetched; a failure to write it is a
 * warning, never a failed run.
 */
class ReportIndexBrowserTest extends BrowserTestSupport {

    private static final String LONG_AGO = "2020-01-01T00:00:00Z";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("cloudflare.account-ids", "acc-2,acc-1");
        settings.put("cloudflare.retry.max-retries", "0");
        return settings;
    }

    private Path index() {
        return reportDir.resolve("index.html");
    }

    /** The cells of the index's row of the account, by their column's heading. */
    private String cell(String accountId, String heading) throws Exception {
        return js("(() => { const i = Array.from(document.querySelectorAll('table.index thead th')).findIndex(th => th.textContent === '"
                + heading + "'); return document.querySelector('tr[data-account=\"" + accountId + "\"]').cells[i].textContent; })()").asText();
    }

    private List<String> links(String accountId) throws Exception {
        List<String> hrefs = new ArrayList<>();
        js("Array.from(document.querySelectorAll('tr[data-account=\"" + accountId + "\"] a')).map(a => a.textContent + ' ' + a.getAttribute('href'))")
                .forEach(link -> hrefs.add(link.asText()));
        return hrefs;
    }

    @Test
    void eachAccountsLatestReportAndHowItsLastRunEndedCompleteFailedOrWithheld() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a1", LONG_AGO, null), registration("a2", LONG_AGO, null),
                registration("a3", LONG_AGO, "2021-01-01T00:00:00Z"))));
        cloudflare.page("acc-2", null, lastPage(List.of(registration("b1", LONG_AGO, null), registration("b2", LONG_AGO, null))));
        assertThat(scan().isSuccessful()).isTrue();
        chromium.open(index());

        assertThat(js("Array.from(document.querySelectorAll('table.index tbody tr')).map(r => r.dataset.account).join()").asText())
                .as("one row per account, in order").isEqualTo("acc-1,acc-2");
        assertThat(cell("acc-1", "last run")).startsWith("complete");
        assertThat(cell("acc-1", "findings")).isEqualTo("3");
        assertThat(cell("acc-1", "stale")).isEqualTo("2");
        assertThat(cell("acc-1", "revoked")).isEqualTo("1");
        assertThat(cell("acc-1", "new")).isEqualTo("3");
        String html = onlyReport("acc-1", ".html").getFileName().toString();
        assertThat(links("acc-1")).containsExactly("HTML " + html, "CSV " + html.replace(".html", ".csv"), "JSON " + html.replace(".html", ".json"));

        // acc-1: Cloudflare refuses, with a message that is markup; acc-2: a fleet that vanished overnight
        WIREMOCK.resetMappings();
        cloudflare.answer("acc-1", null, 403, CloudflareStub.error(10000, HOSTILE));
        cloudflare.page("acc-2", null, lastPage(List.of()));
        assertThat(scan().isSuccessful()).isFalse();
        chromium.open(index());

        assertThat(cell("acc-1", "last run")).startsWith("failed").contains("HTTP 403", HOSTILE);
        assertThat(js("document.querySelectorAll('img').length").asInt()).as("Cloudflare's message is text, never markup").isZero();
        assertThat(cell("acc-2", "last run")).startsWith("withheld").contains("Suspect scan withheld");
        assertThat(cell("acc-1", "findings")).as("the last complete scan's, still").isEqualTo("3");
        assertThat(links("acc-1")).as("its report, still").hasSize(3)
                .allSatisfy(link -> assertThat(reportDir.resolve(link.substring(link.indexOf(' ') + 1))).isRegularFile());
        // the last runs: one complete, then one that measured nothing
        assertThat(js("document.querySelectorAll('tr[data-account=\"acc-1\"] svg g').length").asInt()).isEqualTo(2);
        assertThat(js("document.querySelector('tr[data-account=\"acc-1\"] svg g:last-child title').textContent").asText())
                .contains("failed: Cloudflare answered HTTP 403");
        assertThat(js("document.querySelector('tr[data-account=\"acc-1\"] svg g title').textContent").asText())
                .endsWith(": 3 findings (2 stale, 1 revoked)");
        assertThat(js("performance.getEntriesByType('resource').length").asInt()).as("nothing fetched").isZero();
    }

    @Test
    void theIndexLinksOnlyTheReportFilesThatExist() throws Exception {
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a1", LONG_AGO, null))));
        cloudflare.page("acc-2", null, lastPage(List.of(registration("b1", LONG_AGO, null))));
        assertThat(scan().isSuccessful()).isTrue();
        Files.delete(onlyReport("acc-1", ".html"));
        Files.delete(onlyReport("acc-2", ".html"));
        Files.delete(onlyReport("acc-2", ".csv"));
        Files.delete(onlyReport("acc-2", ".json"));

        WIREMOCK.resetMappings();
        cloudflare.answer("acc-1", null, 500, CloudflareStub.error(10001, "Internal error"));
        cloudflare.answer("acc-2", null, 500, CloudflareStub.error(10001, "Internal error"));
        scan();
        chromium.open(index());

        assertThat(links("acc-1")).extracting(link -> link.substring(0, link.indexOf(' '))).containsExactly("CSV", "JSON");
        assertThat(links("acc-2")).isEmpty();
        assertThat(cell("acc-2", "latest report")).contains("its files are removed");
    }

    @Test
    void anIndexThatCannotBeWrittenIsOneWarningPerScanAndNeverFailsTheRun() throws Exception {
        // a folder where the page goes: it cannot be renamed over
        Files.createDirectories(index().resolve("in-the-way"));
        cloudflare.page("acc-1", null, lastPage(List.of(registration("a1", LONG_AGO, null))));
        cloudflare.page("acc-2", null, lastPage(List.of(registration("b1", LONG_AGO, null))));

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(scan().isSuccessful()).isTrue();
            assertThat(logs.text().lines().filter(line -> line.contains("report index")))
                    .as("one warning per account's scan").hasSize(2).allMatch(line -> line.startsWith("WARN "));
        }
        assertThat(reportFiles(".html")).hasSize(2);
    }
}
