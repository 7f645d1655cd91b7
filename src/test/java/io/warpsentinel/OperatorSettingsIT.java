package io.warpsentinel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator configures it: a config file, the environment, -D, and a validation before the first scan. */
class OperatorSettingsIT {

    private static final String TOKEN = "operator-token-never-printed-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension CLOUDFLARE = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig().withUser("mailer", "mail-password-0123"));

    @TempDir
    Path workDir;

    @Test
    void aConfigFileIsLayeredUnderTheEnvironmentAndTheEnvironmentUnderDashD() throws Exception {
        Files.writeString(workDir.resolve("warp-sentinel.properties"), """
                # the operator's file
                sentinel.demo.registrations = 120
                sentinel.stale-after = P7D
                sentinel.report.dir = from-file
                """);

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("SENTINEL_CONFIG", "warp-sentinel.properties",
                        "SENTINEL_STALE_AFTER", "P14D", "SENTINEL_REPORT_DIR", "from-env",
                        // other Cloudflare tools' variables are none of warp-sentinel's business
                        "CLOUDFLARE_API_KEY", "wrangler-key", "CLOUDFLARE_EMAIL", "someone@example.com"),
                "-Dcamel.main.profile=demo", "-Dsentinel.demo.port=" + PackagedJar.freePort(), "-Dsentinel.report.dir=from-d");

        assertThat(outcome.exitStatus()).as(outcome.output()).isZero();
        assertThat(workDir.resolve("from-file")).doesNotExist();
        assertThat(workDir.resolve("from-env")).doesNotExist();
        try (Stream<Path> reports = Files.list(workDir.resolve("from-d"))) {
            JsonNode report = JSON.readTree(reports.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
            assertThat(report.at("/summary/scanned").asInt()).as("from the file").isEqualTo(120);
            assertThat(report.at("/policy/stale_after").asText()).as("the environment over the file").isEqualTo("P14D");
        }
    }

    @Test
    void aMisspelledKeyAnywhereOrAConfigFileThatCannotBeReadStopsTheStart() throws Exception {
        Files.writeString(workDir.resolve("warp-sentinel.properties"), "sentinel.stal-after = P7D\n");

        PackagedJar.Outcome misspelled = PackagedJar.run(workDir, Map.of("SENTINEL_CONFIG", "warp-sentinel.properties",
                "SENTINEL_REPOT_DIR", "x", "CAMEL_HEALTH_EXPOSURE_LEVL", "full"), "-Dcamel.main.profile=demo", "-Dcloudflare.per-pag=5",
                "-Dcamel.management.prot=19899");

        assertThat(misspelled.exitStatus()).as(misspelled.output()).isEqualTo(2);
        assertThat(misspelled.output())
                .contains("sentinel.stal-after in warp-sentinel.properties (did you mean sentinel.stale-after?)")
                .contains("SENTINEL_REPOT_DIR in the environment (did you mean SENTINEL_REPORT_DIR?)")
                .contains("-Dcloudflare.per-pag (did you mean cloudflare.per-page?)")
                .contains("-Dcamel.management.prot (did you mean camel.management.port?)")
                .contains("CAMEL_HEALTH_EXPOSURE_LEVL in the environment (did you mean CAMEL_HEALTH_EXPOSURE_LEVEL?)")
                .doesNotContain("Scan started").doesNotContain("PropertyBindingException");

        PackagedJar.Outcome missing = PackagedJar.run(workDir, Map.of(), "-Dsentinel.config=/nowhere/warp-sentinel.properties",
                "-Dcamel.main.profile=demo");
        assertThat(missing.exitStatus()).as(missing.output()).isEqualTo(2);
        assertThat(missing.output()).contains("The config file /nowhere/warp-sentinel.properties", "cannot be read: it does not exist");
    }

    @Test
    void aConfigFileThatIsNoFileOfSettingsStopsTheStartInsteadOfHangingOrRunningOutOfMemory() throws Exception {
        Path fifo = workDir.resolve("warp-sentinel.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Files.writeString(workDir.resolve("twice.properties"), "sentinel.stale-after = P7D\nsentinel.report.dir = r\nsentinel.stale-after P9D\n");

        for (String configFile : List.of(fifo.toString(), "/dev/zero", "twice.properties")) {
            PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("SENTINEL_CONFIG", configFile), "-Dcamel.main.profile=demo");

            assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(2);
            assertThat(outcome.output()).contains("Not started: The config file").doesNotContain("Scan started");
        }
        assertThat(PackagedJar.run(workDir, Map.of("SENTINEL_CONFIG", "twice.properties")).output())
                .contains("sets a key more than once, and only the last would count: sentinel.stale-after on lines 1 and 3; keep one of each");
    }

    @Test
    void anArgumentAfterTheJarStopsTheStartWithTheFormThatWorksInsteadOfReadingAsASuccess() throws Exception {
        PackagedJar.Outcome once = PackagedJar.run(workDir, Map.of(), List.of(), List.of("--once"));
        assertThat(once.exitStatus()).as(once.output()).isEqualTo(2);
        assertThat(once.output()).contains("unknown argument --once: settings are given as -Dkey=value: bin/warp-sentinel "
                + "-Dsentinel.once=true, or java -Dsentinel.once=true -jar warp-sentinel.jar").doesNotContain("Apache Camel Runner");

        PackagedJar.Outcome late = PackagedJar.run(workDir, Map.of(), List.of(), List.of("-Dcamel.main.profile=demo"));
        assertThat(late.exitStatus()).as(late.output()).isEqualTo(2);
        assertThat(late.output()).contains("-Dcamel.main.profile=demo comes after -jar", "put -D options before -jar "
                + "(java -Dcamel.main.profile=demo -jar warp-sentinel.jar), or use bin/warp-sentinel").doesNotContain("Scan started");

        PackagedJar.Outcome help = PackagedJar.run(workDir, Map.of(), List.of(), List.of("--help"));
        assertThat(help.exitStatus()).as(help.output()).isZero();
        assertThat(help.output()).contains("warp-sentinel takes no arguments", "docs/configuration.md");
        try (Stream<Path> written = Files.list(workDir)) {
            assertThat(written).as("nothing scanned").isEmpty();
        }
    }

    /**
     * The documented variables only a process shows (OperatorSettingsTest proves the others):
     * the management server listens on CAMEL_MANAGEMENT_PORT, where the image's HEALTHCHECK asks;
     * CAMEL_MAIN_PROFILE, LOG_FORMAT, LOG_LEVEL and LOG_CAMEL are read before any setting.
     */
    @Test
    void theManagementServerListensOnCamelManagementPortAndTheLogVariablesShapeTheLog() throws Exception {
        int port = PackagedJar.freePort();
        Map<String, String> environment = Map.of("CAMEL_MANAGEMENT_PORT", String.valueOf(port), "CAMEL_MANAGEMENT_HOST", "127.0.0.1",
                "CAMEL_MAIN_PROFILE", "demo", "SENTINEL_ONCE", "false", "SENTINEL_DEMO_PORT", String.valueOf(PackagedJar.freePort()),
                "LOG_FORMAT", "json", "LOG_LEVEL", "DEBUG", "LOG_CAMEL", "INFO");
        assertThat(environment).containsKeys(OperatorSettingsTest.PROVED_AS_A_PROCESS.toArray(String[]::new));

        PackagedJar.Running service = PackagedJar.start(workDir, environment, List.of(), List.of());
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await("the health server on CAMEL_MANAGEMENT_PORT " + port).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> assertThat(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));

            List<JsonNode> lines = new ArrayList<>();
            for (String line : service.output().lines().toList()) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).as("LOG_FORMAT=json: every line a JSON object").isNotEmpty().allMatch(JsonNode::isObject);
            assertThat(lines).as("LOG_LEVEL=DEBUG").anyMatch(line -> line.path("level").asText().equals("DEBUG")
                    && !line.path("loggerName").asText().startsWith("org.apache.camel"));
            assertThat(lines).as("LOG_CAMEL=INFO").anyMatch(line -> line.path("level").asText().equals("INFO")
                    && line.path("loggerName").asText().startsWith("org.apache.camel"));
            assertThat(lines).as("CAMEL_MAIN_PROFILE=demo").anyMatch(line -> line.path("formattedMessage").asText().contains("embedded demo API"));
        } finally {
            service.process().destroy();
            assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).as("the service stops on SIGTERM").isTrue();
        }
    }

    @Test
    void aClusterWithoutTheSharedDatabaseStopsTheStart() throws Exception {
        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("SENTINEL_CLUSTER_ENABLED", "true"), "-Dcamel.main.profile=demo");

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output()).contains("sentinel.cluster.enabled=true needs sentinel.state.jdbc-url").doesNotContain("Scan started");
    }

    @Test
    void aValidationChecksTheTokenTheRelayTheWebhooksAndThePushgatewayAndWritesNothing() throws Exception {
        CLOUDFLARE.stubFor(get(urlPathEqualTo(CloudflareStub.path("good"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 1, "2020-01-01T00:00:00Z")))));
        CLOUDFLARE.stubFor(get(urlPathEqualTo(CloudflareStub.path("denied"))).willReturn(aResponse().withStatus(403)
                .withBody(CloudflareStub.error(10000, "Authentication error"))));
        // the inventory of physical devices refused: device details would be unavailable, the scans would work
        CLOUDFLARE.stubFor(get(urlPathEqualTo("/client/v4/accounts/good/devices/physical-devices")).willReturn(aResponse().withStatus(403)
                .withBody(CloudflareStub.error(10000, "Authentication error"))));

        PackagedJar.Outcome outcome = PackagedJar.run(workDir, Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "good,denied",
                        "SENTINEL_EMAIL_PASSWORD", "mail-password-0123"),
                "-Dsentinel.validate=true", "-Dcloudflare.base-url=" + CLOUDFLARE.baseUrl() + "/client/v4",
                "-Dsentinel.email.enabled=true", "-Dsentinel.email.to=it@example.com", "-Dsentinel.email.host=127.0.0.1",
                "-Dsentinel.email.port=" + MAIL.getSmtp().getPort(), "-Dsentinel.email.security=none", "-Dsentinel.email.username=mailer",
                "-Dsentinel.webhooks=chat", "-Dsentinel.webhook.chat.url=https://hooks.example.invalid/services/x",
                "-Dsentinel.metrics.push-url=http://pushgateway.example.invalid:9091");

        assertThat(outcome.exitStatus()).as(outcome.output()).isEqualTo(1);
        assertThat(outcome.output())
                .contains("[ok]   account good: the token can list its registrations")
                .contains("[warn] account good: device details will be unavailable (reports complete without them): Cloudflare answered "
                        + "HTTP 403 for the physical devices of account good: Cloudflare error 10000 Authentication error; set "
                        + "sentinel.devices.enrich=false to skip the look-up")
                .contains("[FAIL] account denied: Cloudflare answered HTTP 403 for account denied: Cloudflare error 10000 "
                        + "Authentication error (the token needs the 'Zero Trust Read' permission on this account)")
                .contains("[ok]   e-mail: the relay 127.0.0.1:" + MAIL.getSmtp().getPort() + " over no encryption, logged in as mailer "
                        + "accepted the connection (no mail sent)")
                .contains("[FAIL] webhook chat: its host hooks.example.invalid does not resolve")
                .contains("[FAIL] metrics push: its host pushgateway.example.invalid does not resolve")
                .contains("Validation failed: 3 problems")
                .as("a validation measures nothing: no push").doesNotContain("Pushgateway at")
                .doesNotContain(TOKEN).doesNotContain("mail-password-0123");
        assertThat(MAIL.getReceivedMessages()).as("no mail sent").isEmpty();
        for (String account : List.of("good", "denied")) {
            assertThat(CLOUDFLARE.findAll(getRequestedFor(urlPathEqualTo(CloudflareStub.path(account)))))
                    .as("one request of one registration").singleElement()
                    .satisfies(request -> assertThat(request.queryParameter("per_page").firstValue()).isEqualTo("1"));
        }
        CLOUDFLARE.verify(getRequestedFor(urlPathEqualTo(CloudflareStub.path("good"))).withQueryParam("status", equalTo("all")));
        try (Stream<Path> written = Files.list(workDir)) {
            assertThat(written).as("no report, state or history").isEmpty();
        }
    }

    @Test
    void windowsPerPlatformWithoutTheDevicesDetailsAreNamedAtTheStartAndInTheValidationAndAMalformedWindowStopsTheStart() throws Exception {
        CLOUDFLARE.stubFor(get(urlPathEqualTo(CloudflareStub.path("good"))).willReturn(aResponse().withStatus(200)
                .withBody(CloudflareStub.lastPage(CloudflareStub.registrations("r", 1, "2020-01-01T00:00:00Z")))));
        Map<String, String> environment = Map.of("CLOUDFLARE_API_TOKEN", TOKEN, "CLOUDFLARE_ACCOUNT_IDS", "good",
                "SENTINEL_STALE_AFTER_POLICIES", "\"Sales, EMEA\"=P14D", "SENTINEL_STALE_AFTER_PLATFORMS", "iOS=P60D",
                "SENTINEL_REMEDIATE_ACTION", "revoke");
        String[] validate = {"-Dsentinel.validate=true", "-Dcloudflare.base-url=" + CLOUDFLARE.baseUrl() + "/client/v4"};

        PackagedJar.Outcome valid = PackagedJar.run(workDir, environment, validate);
        assertThat(valid.exitStatus()).as(valid.output()).isZero();
        assertThat(valid.output()).contains("[ok]   stale-after windows, first match: P14D (profile Sales, EMEA), P60D (platform ios), "
                        + "else P30D; the listing asks for each registration's profile (include=policy); platforms from the devices' details")
                .contains("[ok]   remediation: revoke, at most 50 per account and run, a user's last device only once unseen for longer "
                        + "than P90D, as a dry run");

        Map<String, String> withoutDetails = new java.util.HashMap<>(environment);
        withoutDetails.put("SENTINEL_DEVICES_ENRICH", "false");
        PackagedJar.Outcome blind = PackagedJar.run(workDir, withoutDetails, validate);
        String problem = "sentinel.stale-after.platforms is set, but sentinel.devices.enrich is false: no registration's platform is known";
        assertThat(blind.exitStatus()).as(blind.output()).isEqualTo(1);
        assertThat(blind.output()).contains("[FAIL] stale-after windows: " + problem).contains("Validation failed: 1 problem")
                .as("the start says so too").containsPattern("WARN .*" + problem);

        PackagedJar.Outcome malformed = PackagedJar.run(workDir, Map.of("SENTINEL_STALE_AFTER_POLICIES", "Contractors=P14D,Kiosks"),
                "-Dcamel.main.profile=demo");
        assertThat(malformed.exitStatus()).as(malformed.output()).isEqualTo(2);
        assertThat(malformed.output()).contains("sentinel.stale-after.policies must be comma-separated name=window entries",
                "not 'Contractors=P14D,Kiosks' (entry 2 ('Kiosks') has no '=': write name=window)").doesNotContain("Scan started");
    }
}
