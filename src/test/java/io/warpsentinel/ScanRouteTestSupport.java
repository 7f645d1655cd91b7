package io.warpsentinel;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.report.ReportIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real routes and beans (application.properties, routes/*.camel.yaml) with WireMock on
 * loopback standing in for Cloudflare and a temporary report folder. A test triggers a run the
 * way the schedule does, through direct:scan-all-accounts.
 */
abstract class ScanRouteTestSupport extends CamelMainTestSupport {

    /** Acts when a request arrives, before it is answered (cleared before each test). */
    static final RequestHook HOOK = new RequestHook();

    @RegisterExtension
    static final WireMockExtension WIREMOCK = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().gzipDisabled(true).extensions(HOOK)).build();

    static final ObjectMapper JSON = new ObjectMapper();

    final CloudflareStub cloudflare = new CloudflareStub(WIREMOCK);

    @TempDir
    Path reportDir;

    /** History, dead letters and the finding state, apart from the reports so a test can see "no report at all". */
    @TempDir
    Path stateDir;

    @Override
    protected Class<?> getMainClass() {
        return WarpSentinel.class;
    }

    /** Settings of the test; subclasses add or replace some. */
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("cloudflare.base-url", WIREMOCK.baseUrl() + "/client/v4");
        settings.put("cloudflare.api-token", CloudflareStub.TOKEN);
        settings.put("cloudflare.account-ids", "acc-1");
        settings.put("cloudflare.per-page", "2");
        settings.put("sentinel.report.dir", reportDir.toString());
        settings.put("camel.management.port", "0"); // a free port: tests never collide with a running service
        settings.put("sentinel.history.file", stateDir.resolve("history.jsonl").toString());
        settings.put("sentinel.dead-letter.dir", stateDir.resolve("dead-letters").toString());
        settings.put("sentinel.state.dir", stateDir.resolve("state").toString());
        // the devices' look-up is tested on its own (DeviceDetailsTest): elsewhere its requests would only add to the ones counted
        settings.put("sentinel.devices.enrich", "false");
        // far from any test's run time, so only the test triggers scans
        settings.put("sentinel.schedule", "0 0 0 1 1 ? 2099");
        return settings;
    }

    // Camel asks for the overrides from its constructor, before this class's field initialisers
    // run and before WireMock's port and the temporary folder are known: the object is created
    // here (no initialiser may reset it) and filled just before the context starts.
    private Properties overrides;

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        overrides = new Properties();
        configuration.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        HOOK.clear();
        overrides.putAll(settings());
    }

    /** One scan of every configured account, as the schedule fires it; returns the run's outcome. */
    ScanRun scan() {
        Exchange done = template.send("direct:scan-all-accounts", exchange -> { });
        return done.getProperty("run", ScanRun.class);
    }

    /** The accounts' reports of this kind, in the order of their names. */
    List<Path> reportFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(reportDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("warp-sentinel-") && f.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        }
    }

    /**
     * Every file in the report folder but the lock files (kept empty and hidden, for the next scan)
     * and the index, which every scan rewrites, a failed one too.
     */
    List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.list(reportDir)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".lock") && !f.getFileName().toString().equals(ReportIndex.FILE))
                    .sorted().toList();
        }
    }

    Path onlyReport(String accountId, String suffix) throws IOException {
        List<Path> matching = reportFiles(suffix).stream()
                .filter(f -> f.getFileName().toString().startsWith("warp-sentinel-" + accountId + "-")).toList();
        org.assertj.core.api.Assertions.assertThat(matching).as("%s reports of %s", suffix, accountId).hasSize(1);
        return matching.get(0);
    }

    /** The CSV read back by an independent reader, one map per row keyed by the header. */
    static List<Map<String, String>> readCsv(Path csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(mapper.schemaWithHeader()).without(CsvParser.Feature.TRIM_SPACES).readValues(csv.toFile())) {
            return rows.readAll();
        }
    }

    /** The rows of account acc-1's only CSV report, by registration_id. */
    Map<String, Map<String, String>> rows() throws IOException {
        Map<String, Map<String, String>> rows = new java.util.HashMap<>();
        readCsv(onlyReport("acc-1", ".csv")).forEach(row -> rows.put(row.get("registration_id"), row));
        return rows;
    }

    /** The run history's entries (sentinel.history.file), oldest first. */
    List<JsonNode> history() throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(stateDir.resolve("history.jsonl"))) {
            entries.add(JSON.readTree(line));
        }
        return entries;
    }

    static JsonNode readJson(Path json) throws IOException {
        return JSON.readTree(json.toFile());
    }
}
