package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.operate.ScanHealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/** An answer that suddenly lists far fewer registrations is withheld as suspect, never reported as an all-clear. */
class SuspectScanTest extends ScanRouteTestSupport {

    private static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        if (String.valueOf(getCurrentTestName()).contains("Accepted")) {
            settings.put("sentinel.accept-shrink", "true");
        }
        return settings;
    }

    private void fleetOf(int count) {
        List<String> fleet = new ArrayList<>(registrations("r", count, LONG_AGO));
        cloudflare.page("acc-1", null, lastPage(fleet));
    }

    private Map<String, String> state() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(stateDir.resolve("state"))) {
            for (Path file : listing.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    @Test
    void anEmptyAnswerAfterAFleetOfFindingsIsWithheldAndChangesNothing() throws Exception {
        fleetOf(4);
        assertThat(scan().isSuccessful()).isTrue();
        Map<String, String> before = state();
        List<Path> reports = reportFiles(".json");
        fleetOf(0);

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("Suspect scan withheld: it listed 0 registrations where the last complete "
                + "scan", "listed 4, more than sentinel.max-shrink=0.5 fewer", "-Dsentinel.accept-shrink=true");
        assertThat(reportFiles(".json")).as("no all-clear published").isEqualTo(reports);
        assertThat(state()).as("no finding marked gone").isEqualTo(before);
        List<String> history = Files.readAllLines(stateDir.resolve("history.jsonl"));
        assertThat(JSON.readTree(history.get(history.size() - 1)).get("outcome").asText()).as("the run history says why").isEqualTo("withheld");
        HealthCheck.Result readiness = context.getRegistry().findSingleByType(ScanHealthCheck.class).call();
        assertThat(readiness.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(readiness.getMessage()).hasValueSatisfying(message -> assertThat(message).contains("Suspect scan withheld"));

        fleetOf(2);
        assertThat(scan().isSuccessful()).as("half the fleet is within sentinel.max-shrink").isTrue();
    }

    @Test
    void aShrinkAcceptedIsPublishedInTheFirstRunOfTheProcessOnly() throws Exception {
        // what an earlier process left: a complete scan of ten registrations
        Files.createDirectories(stateDir.resolve("state"));
        Files.writeString(stateDir.resolve("state/acc-1.jsonl"), "{\"account_id\":\"acc-1\",\"last_complete_scan\":"
                + java.time.Instant.parse("2026-11-01T06:00:00Z").toEpochMilli() + ",\"registrations\":10}\n");
        fleetOf(1);

        assertThat(scan().isSuccessful()).as("accepted: the first run of the process").isTrue();
        assertThat(readJson(reportFiles(".json").get(0)).at("/summary/scanned").asInt()).isEqualTo(1);

        fleetOf(10);
        assertThat(scan().isSuccessful()).isTrue();
        fleetOf(0);
        assertThat(scan().getFailures().get("acc-1")).as("not in a later run").contains("Suspect scan withheld");
    }

    @Test
    void aShrinkAcceptedIsNotSavedForALaterRunWhenTheFirstDidNotShrink() throws Exception {
        fleetOf(10);
        assertThat(scan().isSuccessful()).as("the first run, which accept-shrink was for").isTrue();
        fleetOf(0);
        assertThat(scan().getFailures().get("acc-1")).contains("Suspect scan withheld");
    }
}
