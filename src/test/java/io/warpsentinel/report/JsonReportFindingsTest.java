package io.warpsentinel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's findings read back from its layout: one per line, the lines not wanted skipped unparsed. */
class JsonReportFindingsTest {

    @TempDir
    Path dir;

    private List<String> read(String report, java.util.function.IntPredicate wanted) throws IOException {
        Path json = Files.writeString(dir.resolve("report.json"), report);
        List<String> found = new ArrayList<>();
        JsonReportFindings.read(json, wanted, Set.of("registration_id", "device_name", "days_since_seen"),
                (place, finding) -> found.add(place + " " + new LinkedHashMap<>(new java.util.TreeMap<>(finding))));
        return found;
    }

    @Test
    void readsTheWantedFindingsTheirColumnsAndTheirPlaces() throws IOException {
        // a name longer than the reader's first buffer, and text that looks like the layout inside a value
        String longName = "x".repeat(200_000);
        String report = "{\n  \"account_id\":\"acc\",\n  \"scan_started_at\":\"2026-12-01T00:00:00Z\",\n  \"findings\":[\n"
                + "    {\"registration_id\":\"r0\",\"device_name\":\"line\\n    {\\\"fake\\\":1}\",\"days_since_seen\":40,\"reason\":\"stale\"},\n"
                + "    {\"registration_id\":\"r1\",\"device_name\":\"" + longName + "\",\"days_since_seen\":null,\"tags\":[1,{\"a\":2}]},\n"
                + "    {\"registration_id\":\"r2\",\"device_name\":\"" + longName + "\",\"days_since_seen\":7},\n"
                + "    {\"registration_id\":\"r3\",\"device_name\":\"last\",\"days_since_seen\":1}\n"
                + "  ],\n  \"recovered\":[\n    {\"registration_id\":\"not a finding\"}\n  ],\n  \"summary\":{\"findings\":4}\n}\n";

        List<String> all = read(report, place -> true);
        assertThat(all).hasSize(4);
        assertThat(all.get(0)).isEqualTo("0 {days_since_seen=40, device_name=line\n    {\"fake\":1}, registration_id=r0}");
        assertThat(all.get(1)).isEqualTo("1 {device_name=" + longName + ", registration_id=r1}");
        assertThat(all.get(3)).isEqualTo("3 {days_since_seen=1, device_name=last, registration_id=r3}");

        assertThat(read(report, place -> place == 2 || place == 3)).containsExactly(
                "2 {days_since_seen=7, device_name=" + longName + ", registration_id=r2}",
                "3 {days_since_seen=1, device_name=last, registration_id=r3}");
    }

    @Test
    void aNumberIsALongAndNoFindingsReadNothing() throws IOException {
        Path json = Files.writeString(dir.resolve("one.json"),
                "{\n  \"account_id\":\"acc\",\n  \"findings\":[\n    {\"registration_id\":\"r0\",\"days_since_seen\":40}\n  ]\n}");
        Map<String, Object> seen = new LinkedHashMap<>();
        JsonReportFindings.read(json, place -> true, Set.of("days_since_seen"), (place, finding) -> seen.putAll(finding));
        assertThat(seen).containsExactly(Map.entry("days_since_seen", 40L));

        assertThat(read("{\n  \"account_id\":\"acc\",\n  \"findings\":[\n    ],\n  \"summary\":{\"findings\":0}\n}\n", place -> true)).isEmpty();
    }
}
