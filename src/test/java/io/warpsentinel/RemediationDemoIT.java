package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation across runs of the packaged jar on the demo, whose API enrols a device and user
 * again after the demo's own revokes and deletes (as Cloudflare does when the user connects
 * again): the next run lists those registrations as enrolled again after removal, and
 * revoke-then-delete deletes in a later run what an earlier one revoked.
 */
class RemediationDemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("demo-acme-hq", "demo-acme-labs");
    /** The demo's API takes any write token; this one looks like no real one. */
    private static final Map<String, String> WRITE_TOKEN = Map.of("CLOUDFLARE_API_WRITE_TOKEN", "demo-write-token-not-a-real-one");

    @TempDir
    Path workDir;

    /** One run of the demo with remediation on, for real (no dry run), from the first finding on; it must succeed. */
    private void runDemo(String action, String... more) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + PackagedJar.freePort(),
                "-Dsentinel.remediate.action=" + action, "-Dsentinel.remediate.dry-run=false", "-Dsentinel.remediate.min-open=PT0S",
                "-Dsentinel.remediate.halt-above=0.5"));
        arguments.addAll(List.of(more));
        PackagedJar.Outcome outcome = PackagedJar.run(workDir, WRITE_TOKEN, arguments.toArray(String[]::new));
        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
    }

    /** The account's JSON reports, run by run. */
    private List<JsonNode> reports(String account) throws IOException {
        List<JsonNode> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(workDir.resolve("reports"))) {
            for (Path json : files.filter(f -> f.getFileName().toString().startsWith("warp-sentinel-" + account + "-")
                    && f.toString().endsWith(".json")).sorted().toList()) {
                reports.add(JSON.readTree(json.toFile()));
            }
        }
        return reports;
    }

    /** The audit file's outcome lines, without the write attempts' pending lines. */
    private List<JsonNode> audit() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(workDir.resolve("reports/actions.jsonl"))) {
            JsonNode entry = JSON.readTree(line);
            if (!entry.get("outcome").asText().equals("pending")) {
                lines.add(entry);
            }
        }
        return lines;
    }

    /** The registrations of this account the run starting at {@code run} did this to. */
    private Set<String> done(List<JsonNode> audit, String account, String run, String action) {
        return audit.stream().filter(line -> line.get("account_id").asText().equals(account) && line.get("run").asText().equals(run)
                        && line.get("action").asText().equals(action) && line.get("outcome").asText().equals("done"))
                .map(line -> line.get("registration_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void theDemoRunTwiceWithRevokesListsInTheSecondRunTheDevicesEnrolledAgain() throws Exception {
        runDemo("revoke");
        runDemo("revoke");

        List<JsonNode> audit = audit();
        for (String account : ACCOUNTS) {
            List<JsonNode> runs = reports(account);
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).get("re_enrolled")).as("%s: nothing was removed before the first run", account).isEmpty();
            Set<String> revoked = done(audit, account, runs.get(0).get("scan_started_at").asText(), "revoke");
            assertThat(revoked).as(account).hasSize(50);
            JsonNode again = runs.get(1).get("re_enrolled");
            assertThat(again).as(account).isNotEmpty().allSatisfy(entry -> {
                assertThat(revoked).contains(entry.get("removed_registration_id").asText());
                assertThat(entry.get("action").asText()).isEqualTo("revoke");
                assertThat(entry.get("removed_at").asText()).isEqualTo(runs.get(0).get("scan_started_at").asText());
                assertThat(entry.get("created_at").asText()).isNotEmpty();
                assertThat(entry.get("device_id").asText()).isNotEmpty();
            });
            assertThat(runs.get(1).at("/summary/re_enrolled").asInt()).isEqualTo(again.size());
        }
        try (Stream<Path> pages = Files.list(workDir.resolve("reports"))) {
            List<Path> html = pages.filter(f -> f.toString().endsWith(".html")).sorted().toList();
            assertThat(Files.readString(html.get(html.size() - 1))).contains("Enrolled again after removal")
                    .contains("or the device will keep coming back");
        }
    }

    @Test
    void revokeThenDeleteRevokesInTheFirstRunAndDeletesInALaterOneWhatItRevoked() throws Exception {
        runDemo("revoke-then-delete");
        // the second run finds the revokes older than its delete-after
        Thread.sleep(1500);
        runDemo("revoke-then-delete", "-Dsentinel.remediate.delete-after=PT1S");

        List<JsonNode> audit = audit();
        for (String account : ACCOUNTS) {
            List<JsonNode> runs = reports(account);
            String first = runs.get(0).get("scan_started_at").asText();
            String second = runs.get(1).get("scan_started_at").asText();
            Set<String> revoked = done(audit, account, first, "revoke");
            assertThat(revoked).as(account).hasSize(50);
            assertThat(done(audit, account, first, "delete")).as("%s: nothing revoked long enough ago in the first run", account).isEmpty();
            Set<String> deleted = done(audit, account, second, "delete");
            assertThat(deleted).as("%s: deletes only what it revoked, never the demo's own revoked registrations", account)
                    .isNotEmpty().isSubsetOf(revoked);
            assertThat(done(audit, account, second, "revoke").size() + deleted.size()).as("max-per-run counts both").isLessThanOrEqualTo(50);
            assertThat(runs.get(1).at("/remediation/action").asText()).isEqualTo("revoke-then-delete");
            assertThat(runs.get(1).at("/remediation/delete_after").asText()).isEqualTo("PT1S");
            assertThat(runs.get(1).get("actions")).as("%s: the deletes first", account).first()
                    .satisfies(entry -> assertThat(entry.get("action").asText()).isEqualTo("delete"));
        }
    }
}
