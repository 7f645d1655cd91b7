package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The report page as a person uses it, in headless Chromium: new findings first, dates in the
 * configured time zone with how long ago, the users with the most stale devices, and a table that
 * sorts by a click, filters as one types and shows more on request, with names never markup.
 */
class HtmlReportBrowserTest extends BrowserTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        if (String.valueOf(getCurrentTestName()).contains("pastTheLimit")) {
            settings.put("sentinel.report.html-max-rows", "1000");
        }
        settings.put("sentinel.time-zone", "Europe/Berlin");
        settings.put("cloudflare.per-page", "2");
        return settings;
    }

    private List<String> column(int index) throws Exception {
        List<String> cells = new ArrayList<>();
        js("Array.from(document.querySelectorAll('#findings tbody tr')).map(r => r.cells[" + index + "].textContent)")
                .forEach(cell -> cells.add(cell.asText()));
        return cells;
    }

    @Test
    void aPersonSeesNewFindingsFirstAndCanSortFilterAndShowMore() throws Exception {
        // scan 1: five long-unseen findings, three of them one user's
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(registration("old" + i, "old device " + i, i < 3 ? "boss@example.com" : "old" + i + "@example.com",
                    "2020-01-01T00:00:00Z", null));
        }
        serve(first);
        assertThat(scan().isSuccessful()).isTrue();
        // scan 2: the same five, and 245 new ones seen more recently, one with a hostile name
        List<String> second = new ArrayList<>(first);
        for (int i = 0; i < 245; i++) {
            String seen = Instant.now().minus(40 + i, ChronoUnit.DAYS).toString();
            second.add(registration("new" + i, i == 7 ? "<img src=x onerror=alert(1)>" : "device " + i, seen, null));
        }
        serve(second);
        assertThat(scan().isSuccessful()).isTrue();
        List<Path> pages = reportFiles(".html");
        chromium.open(pages.get(pages.size() - 1));

        assertThat(js("document.querySelectorAll('#findings tbody tr').length").asInt()).isEqualTo(200);
        assertThat(column(columnUnder("change"))).as("new first").first().isEqualTo("new");
        assertThat(js("document.getElementById('findings-count').textContent").asText()).isEqualTo("Showing 200 of 250");
        assertThat(column(columnUnder("last seen")).get(0)).as("a date as people read it, and how long ago").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\d+ days ago");
        assertThat(column(columnUnder("client version"))).as("client version").contains("2025.1.0");
        assertThat(js("document.querySelectorAll('#findings img').length").asInt()).as("a name is text, never markup").isZero();
        assertThat(js("Array.from(document.querySelectorAll('h2')).map(h => h.textContent).join('|')").asText())
                .contains("Users with the most stale devices");
        assertThat(js("document.querySelector('h2 + table tbody tr').textContent").asText()).isEqualTo("boss@example.com3");

        int device = columnUnder("device");
        js("document.querySelectorAll('#findings th')[" + device + "].click()");
        assertThat(column(device).get(0)).as("sorted by device").isEqualTo("<img src=x onerror=alert(1)>");
        assertThat(js("document.querySelectorAll('#findings img').length").asInt()).as("still text once the script built the row").isZero();
        js("document.querySelectorAll('#findings th')[" + device + "].click()");
        assertThat(column(device).get(0)).as("and the other way").isEqualTo("old device 4");

        js("new Promise(r => { const f = document.querySelector('input[data-filter=findings]'); f.value = 'BOSS@';"
                + " f.dispatchEvent(new Event('input')); setTimeout(r, 300); })");
        assertThat(column(columnUnder("user"))).containsOnly("boss@example.com").hasSize(3);
        assertThat(js("document.getElementById('findings-count').textContent").asText()).isEqualTo("Showing 3 of 3 matching (250 in all)");
        assertThat(column(columnUnder("last seen")).get(0)).as("the filter keeps the sort").startsWith("2020-01-01 01:00");

        // 2020-01-01T00:00Z is 1577836800 in the rows' hidden sort keys: a filter matches what the table shows only
        js("new Promise(r => { const f = document.querySelector('input[data-filter=findings]'); f.value = '1577836800';"
                + " f.dispatchEvent(new Event('input')); setTimeout(r, 300); })");
        assertThat(js("document.querySelectorAll('#findings tbody tr').length").asInt()).isZero();

        js("new Promise(r => { const f = document.querySelector('input[data-filter=findings]'); f.value = '';"
                + " f.dispatchEvent(new Event('input')); setTimeout(r, 300); })");
        js("document.querySelector('#findings-more button').click()");
        assertThat(js("document.querySelectorAll('#findings tbody tr').length").asInt()).isEqualTo(250);
        assertThat(js("document.getElementById('findings-more').hidden").asBoolean()).isTrue();
    }

    /** The place of the findings table's column under this heading, as a person finds it. */
    private int columnUnder(String heading) throws Exception {
        int index = js("Array.from(document.querySelectorAll('#findings thead th')).findIndex(th => th.textContent === '" + heading + "')")
                .asInt();
        assertThat(index).as("a column headed %s", heading).isNotNegative();
        return index;
    }

    private void filterBy(String text) throws Exception {
        js("new Promise(r => { const f = document.querySelector('input[data-filter=findings]'); f.value = '" + text + "';"
                + " f.dispatchEvent(new Event('input')); setTimeout(r, 300); })");
    }

    @Test
    void theScriptSortsAndFiltersTheColumnsThePageDeclaresAndNoOthers() throws Exception {
        serve(List.of(registration("reg-c", "laptop of carol", "carol@example.com", "2021-03-01T00:00:00Z", null),
                registration("reg-a", "phone of alice", "alice@example.com", "2020-01-01T00:00:00Z", null),
                registration("reg-b", "tablet of bob", "bob@example.com", "not a date", null),
                registration("reg-d", "desktop of dave", "dave@example.com", "2022-06-01T00:00:00Z", "2022-07-01T00:00:00Z")));
        assertThat(scan().isSuccessful()).isTrue();
        Path page = reportFiles(".html").get(0);
        chromium.open(page);
        JsonNode columns = JSON.readTree(js("document.getElementById('finding-columns').textContent").asText());
        List<String> headings = new ArrayList<>();
        columns.forEach(column -> headings.add(column.get("heading").asText()));
        assertThat(column(0)).hasSize(4);
        assertThat(js("Array.from(document.querySelectorAll('#findings thead th')).map(th => th.textContent).join('|')").asText())
                .as("the table's headings are the page's column list").isEqualTo(String.join("|", headings));

        int registration = columnUnder("registration");
        js("document.querySelectorAll('#findings thead th')[" + registration + "].click()");
        assertThat(column(registration)).containsExactly("reg-a", "reg-b", "reg-c", "reg-d");
        js("document.querySelectorAll('#findings thead th')[" + registration + "].dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))");
        assertThat(column(registration)).as("Enter sorts the other way").containsExactly("reg-d", "reg-c", "reg-b", "reg-a");

        // a date sorts by its instant, one that is not a date after every instant; how long ago stays under it
        int lastSeen = columnUnder("last seen");
        js("document.querySelectorAll('#findings thead th')[" + lastSeen + "].click()");
        assertThat(column(registration)).containsExactly("reg-a", "reg-c", "reg-d", "reg-b");
        assertThat(js("document.querySelectorAll('#findings tbody tr')[0].cells[" + lastSeen + "].querySelector('span.ago').textContent")
                .asText()).endsWith(" days ago");

        int device = columnUnder("device");
        filterBy("TABLET");
        assertThat(column(device)).containsExactly("tablet of bob");
        assertThat(js("document.getElementById('findings-count').textContent").asText()).isEqualTo("Showing 1 of 1 matching (4 in all)");

        // the same page with its column list changed: the script follows the list, not positions of its own
        ArrayNode changed = (ArrayNode) columns.deepCopy();
        ((ObjectNode) changed.get(device)).put("filter", false);
        ((ObjectNode) changed.get(columnUnder("note"))).put("sort", false).set("text", columns.get(registration).get("text"));
        String html = Files.readString(page);
        String list = "<script type=\"application/json\" id=\"finding-columns\">";
        int start = html.indexOf(list) + list.length();
        Path edited = stateDir.resolve("edited.html");
        Files.writeString(edited, html.substring(0, start) + changed + html.substring(html.indexOf("</script>", start)));
        chromium.open(edited);
        int note = columnUnder("note");
        assertThat(column(note)).as("the note column shows the cell the list names: the registration's").containsExactlyElementsOf(column(registration));
        assertThat(js("document.querySelectorAll('#findings thead th')[" + note + "].hasAttribute('data-sortable')").asBoolean()).isFalse();
        assertThat(js("document.querySelectorAll('#findings thead th')[" + registration + "].hasAttribute('data-sortable')").asBoolean()).isTrue();
        filterBy("tablet");
        assertThat(column(device)).as("device names no longer filter").isEmpty();
        filterBy("bob@");
        assertThat(column(device)).containsExactly("tablet of bob");
    }

    @Test
    void registrationIdsStayOnOneLineInANarrowWindowWhileALongDeviceNameWraps() throws Exception {
        // a UUID and a demo id of the widest hex letters, and a device name with no space to break at
        serve(List.of(registration("dddddddd-bbbb-4ddd-bddd-dddddddddddd", "laptop-of-" + "a".repeat(90), "2020-01-01T00:00:00Z", null),
                registration("reg-dddddddd-bbbb-4ddd-bddd-dddddddddddd", "phone", "2020-02-01T00:00:00Z", null)));
        assertThat(scan().isSuccessful()).isTrue();
        List<Path> pages = reportFiles(".html");
        chromium.open(pages.get(pages.size() - 1));
        // a cell's lines as laid out, and whether its text stays inside it
        String cells = "(header) => { const heads = Array.from(document.querySelectorAll('#findings th')).map(h => h.textContent);"
                + " const i = heads.indexOf(header); return Array.from(document.querySelectorAll('#findings tbody tr')).map(r => {"
                + " const range = document.createRange(); range.selectNodeContents(r.cells[i]);"
                + " return {lines: range.getClientRects().length, inside: r.cells[i].scrollWidth <= r.cells[i].clientWidth}; }); }";

        for (int width : new int[] {480, 800, 1400}) {
            chromium.call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", false));
            JsonNode ids = js("(" + cells + ")('registration')");
            JsonNode devices = js("(" + cells + ")('device')");

            assertThat(ids).as("%d px wide", width).hasSize(2).allSatisfy(id -> {
                assertThat(id.get("lines").asInt()).as("lines of a registration id, %d px wide", width).isEqualTo(1);
                assertThat(id.get("inside").asBoolean()).as("a registration id inside its cell, %d px wide", width).isTrue();
            });
            assertThat(devices.get(0).get("lines").asInt()).as("lines of the long device name, %d px wide", width).isGreaterThan(1);
            assertThat(devices.get(0).get("inside").asBoolean()).as("the long device name inside its cell, %d px wide", width).isTrue();
        }
    }

    /** A fleet of 1,147 findings, device-0000 seen 40 days ago, device-1146 the longest unseen, in the reading order last to first. */
    private void fleetOf1147() {
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 1147; i++) {
            fleet.add(registration(String.format("reg-%04d", i), String.format("device-%04d", i),
                    Instant.now().minus(40 + i, ChronoUnit.DAYS).toString(), null));
        }
        // one page: the walk follows the cursor, whatever the page size turns out to be
        cloudflare.page("acc-1", null, lastPage(fleet));
        assertThat(scan().isSuccessful()).isTrue();
    }

    private String counter() throws Exception {
        return js("document.getElementById('findings-count').textContent").asText();
    }

    @Test
    void everyFindingOfTheRunIsFindableAndTheCounterSaysHowManyThereAre() throws Exception {
        fleetOf1147();
        Path page = onlyReport("acc-1", ".html");
        chromium.open(page);

        assertThat(counter()).isEqualTo("Showing 200 of 1,147");
        int device = columnUnder("device");
        assertThat(column(device).get(0)).as("the longest unseen first").isEqualTo("device-1146");
        // among the last in the reading order, far past the first 200
        filterBy("DEVICE-0005");
        assertThat(column(device)).containsExactly("device-0005");
        assertThat(counter()).isEqualTo("Showing 1 of 1 matching (1,147 in all)");
        filterBy("");
        js("document.querySelectorAll('#findings th')[" + device + "].click()");
        assertThat(column(device).get(0)).as("sorted over all of them").isEqualTo("device-0000");
        assertThat(js("document.querySelectorAll('p.verdict').length").asInt()).as("no limit to speak of").isZero();

        String csv = page.getFileName().toString().replace(".html", ".csv");
        String json = page.getFileName().toString().replace(".html", ".json");
        assertThat(js("Array.from(document.querySelectorAll('table.facts a')).map(a => a.getAttribute('href')).join()").asText())
                .as("its own CSV and JSON, beside it").isEqualTo(csv + "," + json);
    }

    @Test
    void pastTheLimitThePageSaysSoAndPointsToTheCsv() throws Exception {
        fleetOf1147();
        Path page = onlyReport("acc-1", ".html");
        chromium.open(page);

        String csv = page.getFileName().toString().replace(".html", ".csv");
        assertThat(js("document.querySelector('p.verdict').textContent").asText())
                .startsWith("This page holds 1,000 of the 1,147 findings").endsWith("Every finding is in the CSV, " + csv + ".");
        assertThat(js("document.querySelector('p.verdict a').getAttribute('href')").asText()).isEqualTo(csv);
        assertThat(reportDir.resolve(csv)).isRegularFile();
        assertThat(counter()).isEqualTo("Showing 200 of 1,000; this page holds 1,000 of the 1,147 findings, the CSV every one");
        int device = columnUnder("device");
        filterBy("device-1000");
        assertThat(column(device)).as("among the first 1,000 in the reading order").containsExactly("device-1000");
        filterBy("device-0005");
        assertThat(column(device)).as("past them").isEmpty();
    }

    private int scans;

    /** Serves the fleet two registrations per page, under cursors new to this scan. */
    private void serve(List<String> fleet) {
        scans++;
        for (int page = 0; page * 2 < fleet.size(); page++) {
            List<String> items = fleet.subList(page * 2, Math.min(fleet.size(), page * 2 + 2));
            boolean last = page * 2 + 2 >= fleet.size();
            String next = last ? "" : "s" + scans + "p" + (page + 2);
            cloudflare.page("acc-1", page == 0 ? null : "s" + scans + "p" + (page + 1),
                    last ? lastPage(items) : CloudflareStub.withCursor(next, items));
        }
    }
}
