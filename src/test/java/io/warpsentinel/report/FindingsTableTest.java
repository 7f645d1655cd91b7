package io.warpsentinel.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warpsentinel.finding.Change;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML findings table follows its columns' declarations: their places, kinds and flags. */
class FindingsTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Verdict finding(String deviceName, String lastSeenAt, Long daysSinceSeen) {
        Registration registration = new Registration("reg-1", "dev-1", deviceName, "2025.1.0", "usr-1", null, "Only A Name", null, lastSeenAt,
                null, null, null, null, null, null);
        return new Verdict(registration, Reason.STALE, daysSinceSeen, null).withChange(Change.NEW, Instant.parse("2026-11-27T06:00:00Z"));
    }

    private static String page(FindingsTable table, List<Verdict> verdicts) throws Exception {
        StringWriter page = new StringWriter();
        table.write(page, verdicts, "findings", true);
        table.writeScript(page);
        return page.toString();
    }

    private static JsonNode scriptJson(String page, String id) throws Exception {
        Matcher block = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertThat(block.find()).as(id).isTrue();
        return JSON.readTree(block.group(1));
    }

    @Test
    void eachColumnTheTableShowsHasAPlaceOfItsOwnAndTodaysTableKeepsItsOrder() {
        assertThat(ReportColumn.IN_TABLE).extracting(HtmlColumn::place).doesNotHaveDuplicates().isSorted();
        assertThat(ReportColumn.IN_TABLE).extracting(HtmlColumn::heading).doesNotHaveDuplicates()
                .containsExactly("last seen", "reason", "change", "open since", "device", "platform", "model", "serial number",
                        "client version", "user", "registration", "note");
    }

    @Test
    void theColumnListTellsTheScriptWhereEachColumnsTextSortKeyAndLineUnderItAre() throws Exception {
        String page = page(FindingsTable.ofReport(Instant::toString), List.of(finding("laptop", "2020-01-01T00:00:00Z", 2527L)));

        JsonNode columns = scriptJson(page, "finding-columns");
        JsonNode row = scriptJson(page, "findings-data").get(0);
        assertThat(columns).hasSize(ReportColumn.IN_TABLE.size());
        JsonNode lastSeen = columns.get(0);
        assertThat(row.get(lastSeen.get("key").asInt()).asLong()).as("sorted by the instant").isEqualTo(1_577_836_800L);
        assertThat(row.get(lastSeen.get("text").asInt()).asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(row.get(lastSeen.get("under").asInt()).asText()).isEqualTo("2527 days ago");
        JsonNode user = columns.get(9);
        assertThat(user.get("heading").asText()).isEqualTo("user");
        assertThat(user.get("key").asInt()).as("sorted by its text").isEqualTo(user.get("text").asInt());
        assertThat(user.has("under")).isFalse();
        assertThat(row.get(user.get("text").asInt()).asText()).as("the name of a user without an e-mail").isEqualTo("Only A Name");
        // the row in the page says the same as the row in the JSON
        assertThat(page).contains("<tr><td>2020-01-01T00:00:00Z<br><span class=\"ago\">2527 days ago</span></td><td>stale</td><td>new</td>");
    }

    @Test
    void aNumberIsWrittenAsOneAndAColumnCanBeLeftOutOfSortingAndFiltering() throws Exception {
        FindingsTable table = new FindingsTable(List.of(
                HtmlColumn.number(10, "days").showing(row -> row.get(ReportColumn.DAYS_SINCE_SEEN)),
                HtmlColumn.time(20, "seen").showing(row -> row.get(ReportColumn.LAST_SEEN_AT)),
                HtmlColumn.text(30, "device <name>").showing(row -> row.get(ReportColumn.DEVICE_NAME)).unsortable().unfiltered()),
                instant -> "at " + instant.getEpochSecond());

        String page = page(table, List.of(finding("<script>x</script>", "2020-01-01T00:00:00Z", 7L), finding("x", "not a date", null)));

        assertThat(scriptJson(page, "findings-data").toString())
                .as("each row's rank in the reading order last")
                .isEqualTo("[[7,1577836800,\"at 1577836800\",\"<script>x</script>\",0],[\"\",\"\",\"not a date\",\"x\",1]]");
        assertThat(page).doesNotContain("<script>x").contains("\\u003cscript\\u003ex\\u003c/script\\u003e")
                .contains("<th>device &lt;name&gt;</th>").contains("<td>7</td><td>at 1577836800</td>");
        assertThat(scriptJson(page, "finding-columns").toString()).isEqualTo("["
                + "{\"heading\":\"days\",\"text\":0,\"key\":0,\"sort\":true,\"filter\":true},"
                + "{\"heading\":\"seen\",\"text\":2,\"key\":1,\"sort\":true,\"filter\":true},"
                + "{\"heading\":\"device <name>\",\"text\":3,\"key\":3,\"sort\":false,\"filter\":false}]");
    }
}
