package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.settings.Arguments;
import io.warpsentinel.settings.OperatorSettings;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSchema;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelMetricsService;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.StringHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which keys an operator's config file, -D and environment may hold, and which layer wins (no process needed). */
class OperatorSettingsTest {

    /**
     * The documented variables read by the process before any setting (logback's, and Camel's
     * profile), and the management port that must be seen listening: OperatorSettingsIT proves
     * these with the packaged jar.
     */
    static final Set<String> PROVED_AS_A_PROCESS = Set.of("LOG_FORMAT", "LOG_LEVEL", "LOG_CAMEL", "CAMEL_MAIN_PROFILE", "CAMEL_MANAGEMENT_PORT");

    /** A row of docs/configuration.md: the key and its environment variable. */
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([^`]+)` \\| `([A-Z0-9_<>]+)` \\|", Pattern.MULTILINE);

    /** Where Camel Main binds each group of camel.* keys the docs list. */
    private static final Map<String, Function<Main, Object>> BOUND_IN = Map.of(
            "camel.main.", Main::configure,
            "camel.management.", main -> main.configure().httpManagementServer(),
            "camel.health.", main -> main.configure().health(),
            "camel.metrics.", main -> main.getCamelContext().hasService(CamelMetricsService.class),
            "camel.component.http.", main -> main.getCamelContext().getComponent("http"));

    @TempDir
    Path folder;

    private static Properties system(String... keysAndValues) {
        Properties system = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            system.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return system;
    }

    @Test
    void aKeySpelledAlmostRightIsAMisspellingNotTheSetting() {
        OperatorSettings operator = OperatorSettings.of(Map.of(), system("sentinel.stale_after", "P7D", "sentinel.stale.after", "P7D"));

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).containsExactly(
                "-Dsentinel.stale.after (did you mean sentinel.stale-after?)", "-Dsentinel.stale_after (did you mean sentinel.stale-after?)");
    }

    @Test
    void camelsOwnKeysAndKubernetesServiceLinksAreNotOurs() {
        OperatorSettings operator = OperatorSettings.of(Map.of("SENTINEL_SERVICE_HOST", "10.0.0.7", "SENTINEL_PORT_9876_TCP_ADDR", "10.0.0.7",
                "SENTINEL_PORT", "tcp://10.0.0.7:9876", "CLOUDFLARE_EMAIL", "someone@example.com"),
                system("camel.main.startup-recorder", "logging", "sentinel.stale-after", "P7D"));

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).isEmpty();
    }

    @Test
    void aWebhookKeyMustNameAConfiguredWebhook() {
        OperatorSettings operator = OperatorSettings.of(Map.of("SENTINEL_WEBHOOKS", "soc,my-team", "SENTINEL_WEBHOOK_MY_TEAM_URL", "https://x",
                "SENTINEL_WEBHOOK_SCO_URL", "https://y"), system("sentinel.webhook.soc.format", "slack", "sentinel.webhook.scc.format", "slack"));

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).containsExactly(
                "-Dsentinel.webhook.scc.format: 'scc' is not a webhook of sentinel.webhooks (soc,my.team)",
                "SENTINEL_WEBHOOK_SCO_URL in the environment: 'sco' is not a webhook of sentinel.webhooks (soc,my.team)");
    }

    @Test
    void whatIsReadBeforeAnyFileIsRefusedInOne() throws Exception {
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, "LOG_LEVEL=DEBUG\nsentinel.stale-after=P7D\n");

        OperatorSettings operator = OperatorSettings.of(Map.of("SENTINEL_CONFIG", file.toString()), new Properties());

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).containsExactly(
                "LOG_LEVEL in " + file + ": it is read from the environment or -D only");
    }

    @Test
    void theEnvironmentBeatsTheFileAndMinusDBeatsBothCloudflareAccountIdIncluded() throws Exception {
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, "cloudflare.account-ids=from-file\nsentinel.stale-after=P1D\nsentinel.report.dir=/from/file\n");

        OperatorSettings operator = OperatorSettings.of(Map.of("SENTINEL_CONFIG", file.toString(), "CLOUDFLARE_ACCOUNT_ID", "from-env",
                "SENTINEL_STALE_AFTER", "P2D"), system("sentinel.stale-after", "P3D"));

        assertThat(operator.getProperty("cloudflare.account-ids")).isEqualTo("from-env");
        assertThat(operator.getProperty("sentinel.stale-after")).isEqualTo("P3D");
        assertThat(operator.getProperty("sentinel.report.dir")).isEqualTo("/from/file");
        assertThat(operator.getProperty("sentinel.max-pages", "a placeholder's fallback")).as("unset: Camel asks the next source").isNull();
    }

    /** The operator's config file at {@code file}, read as at start-up. */
    private static OperatorSettings withConfigFile(Path file) {
        return OperatorSettings.of(Map.of("SENTINEL_CONFIG", file.toString()), new Properties());
    }

    @Test
    void theConfigFileMeansWhatJavaPropertiesMakeOfItContinuationsEscapesAndSeparatorsIncluded() throws Exception {
        String text = "# a comment that ends in a backslash is not continued \\\n"
                + "sentinel.report.dir = /a\\\n   /b\n"
                + "! another comment\n"
                + "sentinel.stale-after: P9D\r\n"
                + "   sentinel.history.file /c\\\\\n"
                + "sentinel\\u002Ereport.keep = P1D\r"
                + "sentinel.webhooks=\\\n#not a comment but the value\n"
                + "\\\n\n"
                + "sentinel.state.dir=x\\";
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, text);
        Properties expected = new Properties();
        expected.load(new StringReader(text));

        assertThat(withConfigFile(file).loadProperties()).isEqualTo(expected).hasSize(6);
    }

    @Test
    void aKeyGivenTwiceStopsTheStartNamingItsLines() throws Exception {
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, """
                # line 1 \\
                sentinel.stale-after = P7D
                sentinel.report.dir = /a\\
                   /b
                ! line 5
                sentinel.stale-after: P9D
                   sentinel.report.dir /c
                sentinel\\u002Ereport.keep = P1D
                sentinel.report.keep=P2D
                sentinel.stale-after P8D
                """);

        assertThatThrownBy(() -> withConfigFile(file)).isInstanceOf(SettingException.class).hasMessage("The config file " + file
                + " (SENTINEL_CONFIG or -Dsentinel.config) sets a key more than once, and only the last would count: sentinel.stale-after "
                + "on lines 2, 6 and 10; sentinel.report.dir on lines 3 and 7; sentinel.report.keep on lines 8 and 9; keep one of each");
    }

    @Test
    void aByteThatIsNotUtf8StopsTheStartNamingItsLine() throws Exception {
        Path file = folder.resolve("warp-sentinel.properties");
        Files.write(file, "sentinel.stale-after = P7D\r\n# caf\u00e9 in UTF-8 is fine\nsentinel.email.from = Caf\u00e9 <it@example.com>\n"
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> withConfigFile(file)).isInstanceOf(SettingException.class)
                .hasMessageContaining("is not UTF-8: line 2 has the byte 0xE9").hasMessageContaining("save it as UTF-8");

        Files.write(file, "\uFEFFsentinel.email.from = Caf\u00e9 <it@example.com>\n".getBytes(StandardCharsets.UTF_8));
        assertThat(withConfigFile(file).getProperty("sentinel.email.from")).as("UTF-8, with the byte order mark Windows editors write")
                .isEqualTo("Caf\u00e9 <it@example.com>");
    }

    @Test
    // in a thread of its own: opening a FIFO blocks where no interrupt reaches, and the test must fail, not hang
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void onlyARegularFileOfAtMostOneMebibyteIsReadAndAFifoNeverBlocksTheStart() throws Exception {
        Path fifo = folder.resolve("fifo.properties");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path exactlyOneMebibyte = folder.resolve("large.properties");
        Files.writeString(exactlyOneMebibyte, "#" + "x".repeat((1 << 20) - 2) + "\n");
        Path oneByteMore = folder.resolve("larger.properties");
        Files.writeString(oneByteMore, "#" + "x".repeat((1 << 20) - 1) + "\n");

        assertThatThrownBy(() -> withConfigFile(fifo)).hasMessageContaining("it is not a regular file (a FIFO, a device or a socket)");
        assertThatThrownBy(() -> withConfigFile(Path.of("/dev/zero"))).hasMessageContaining("it is not a regular file");
        assertThatThrownBy(() -> withConfigFile(folder)).hasMessageContaining("it is a folder");
        assertThatThrownBy(() -> withConfigFile(oneByteMore)).hasMessageContaining("it is larger than 1 MiB");
        assertThat(withConfigFile(exactlyOneMebibyte).loadProperties()).isEmpty();
    }

    @Test
    void everyArgumentIsRefusedNamingTheSettingItMeantAndNeverShowingASecret() {
        assertThatThrownBy(() -> Arguments.check(SentinelSettings.SCHEMA, "--stale-after=P7D", "-d", "10"))
                .isInstanceOf(SettingException.class).hasMessage("3 arguments: unknown argument --stale-after=P7D: settings are given as "
                        + "-Dkey=value: bin/warp-sentinel -Dsentinel.stale-after=P7D, or java -Dsentinel.stale-after=P7D -jar warp-sentinel.jar; "
                        + "unknown argument -d: warp-sentinel takes no arguments; give settings as -Dkey=value before -jar or through "
                        + "bin/warp-sentinel, e.g. -Dsentinel.once=true (--help; every setting: docs/configuration.md); unknown argument 10: "
                        + "warp-sentinel takes no arguments; give settings as -Dkey=value before -jar or through bin/warp-sentinel, e.g. "
                        + "-Dsentinel.once=true (--help; every setting: docs/configuration.md)");
        assertThatThrownBy(() -> Arguments.check(SentinelSettings.SCHEMA, "--port")).as("more than one setting ends in .port")
                .hasMessageStartingWith("unknown argument --port: warp-sentinel takes no arguments");
        assertThatThrownBy(() -> Arguments.check(SentinelSettings.SCHEMA, "-Dcloudflare.api-token=token-after-the-jar", "--api-token=token-as-an-option"))
                .hasMessageContaining("-Dcloudflare.api-token=… comes after -jar")
                .hasMessageContaining("unknown argument --api-token=…: settings are given as -Dkey=value, and a secret such as "
                        + "cloudflare.api-token as an environment variable: CLOUDFLARE_API_TOKEN")
                .message().doesNotContain("token-after-the-jar").doesNotContain("token-as-an-option");
        Arguments.check(SentinelSettings.SCHEMA);
        assertThat(Arguments.wantHelp("--help")).isTrue();
    }

    @Test
    void aMisspelledCamelKeyOrVariableIsNamedWithTheClosestOptionCamelKnows() throws Exception {
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, "camel.managment.port = 19899\ncamel.component.http.conect-timeout = 5000\ncamel.component.htp.so-timeout = 1\n");

        OperatorSettings operator = OperatorSettings.of(Map.of("SENTINEL_CONFIG", file.toString(), "CAMEL_MANAGEMENT_PROT", "19899",
                "CAMEL_MANAGMENT_PORT", "19899", "CAMEL_COMPONENT_HTTP_CONECT_TIMEOUT", "5000", "CAMEL_HEALTH_EXPOSURE_LEVL", "full"),
                system("camel.management.prot", "19899", "camel.main.startup-recordr", "logging", "camel.metrics.binders.jvm", "x"));

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).containsExactly(
                "-Dcamel.main.startup-recordr (did you mean camel.main.startup-recorder?)",
                "-Dcamel.management.prot (did you mean camel.management.port?)",
                "-Dcamel.metrics.binders.jvm: camel.metrics.binders takes a value, not keys below it",
                "CAMEL_COMPONENT_HTTP_CONECT_TIMEOUT in the environment (did you mean CAMEL_COMPONENT_HTTP_CONNECT_TIMEOUT?)",
                "CAMEL_HEALTH_EXPOSURE_LEVL in the environment (did you mean CAMEL_HEALTH_EXPOSURE_LEVEL?)",
                "CAMEL_MANAGEMENT_PROT in the environment (did you mean CAMEL_MANAGEMENT_PORT?)",
                "CAMEL_MANAGMENT_PORT in the environment (did you mean CAMEL_MANAGEMENT_PORT?)",
                "camel.component.htp.so-timeout in " + file + ": Camel has no component named 'htp' here",
                "camel.component.http.conect-timeout in " + file + " (did you mean camel.component.http.connect-timeout?)",
                "camel.managment.port in " + file + " (did you mean camel.management.port?)");
    }

    @Test
    void everyCamelKeyCamelKnowsIsAcceptedInAnyOfItsSpellingsAndOtherProgramsCamelVariablesAreLeftAlone() {
        OperatorSettings operator = OperatorSettings.of(Map.of("CAMEL_HOME", "/opt/camel", "CAMEL_MAIN_STARTUP_RECORDER", "logging",
                        "CAMEL_SERVER_PORT", "8081", "CAMEL_COMPONENT_PLATFORM_HTTP_REQUEST_TIMEOUT", "1", "CAMEL_BEANS_FOO", "x",
                        "CAMEL_THREADPOOL_CONFIG_MYPOOL_POOLSIZE", "3", "CAMEL_MANAGEMENT_SERVICE_HOST", "10.0.0.7",
                        "CAMEL_MANAGEMENT_PORT_9876_TCP_ADDR", "10.0.0.7", "CAMEL_COMPONENT_IN_HOUSE_ANY_OPTION", "1"),
                system("camel.main.startupRecorder", "logging", "camel.management.HealthCheckEnabled", "true",
                        "camel.threadpool.config[mine].pool-size", "3", "camel.rest.component-properties.x", "y",
                        "camel.component.smtp.connection-timeout", "1", "camel.beans.foo", "#class:java.lang.Object",
                        "camel.vault.aws.region", "eu-west-1", "camel.component.in-house.any-option", "1"));

        assertThat(operator.unknown(SentinelSettings.SCHEMA)).isEmpty();
    }

    /**
     * Camel's catalog, not only warp-sentinel's own declarations, knows every camel.* key the
     * project sets (application.properties, the deploy manifests' CAMEL_MAIN_PROFILE, the tests'
     * keys), as a key and as a variable: judged with no declaration of ours, none is unknown.
     */
    @Test
    void camelsCatalogKnowsEveryCamelKeyTheProjectSets() {
        Properties keys = system("camel.main.startup-recorder", "logging", "camel.management.port", "0");
        Map<String, String> variables = new HashMap<>(Map.of("CAMEL_MAIN_PROFILE", "demo"));
        for (Setting<?> setting : SentinelSettings.SCHEMA.settings()) {
            if (setting.key().startsWith("camel.")) {
                keys.setProperty(setting.key(), "1");
                variables.put(setting.environmentVariable(), "1");
            }
        }
        SettingsSchema nothingOfOurs = new SettingsSchema(List.of());

        assertThat(OperatorSettings.of(Map.of(), keys).unknown(nothingOfOurs)).isEmpty();
        assertThat(OperatorSettings.of(variables, new Properties()).unknown(nothingOfOurs)).isEmpty();
        assertThat(keys).hasSizeGreaterThan(15);
    }

    /**
     * Every variable of docs/configuration.md, set to a value other than its default, reaches
     * what reads it: the resolved property the beans read, and for Camel's own keys the option
     * Camel Main bound (CAMEL_MANAGEMENT_PORT stayed 9876 while its variable was documented).
     */
    @Test
    void everyEnvironmentVariableTheDocsListTakesEffect() throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher row = DOCUMENTED.matcher(Files.readString(Path.of("docs/configuration.md")));
        while (row.find()) {
            variables.put(row.group(2).replace("<NAME>", "SOC"), row.group(1).replace("<name>", "soc"));
        }
        assertThat(variables).as("the docs' table of variables").hasSizeGreaterThan(50).containsKeys("CAMEL_MANAGEMENT_PORT", "SENTINEL_CONFIG");
        Path file = folder.resolve("warp-sentinel.properties");
        Files.writeString(file, "sentinel.report.dir = from-the-config-file\n");
        Map<String, String> environment = new HashMap<>();
        variables.forEach((variable, key) -> environment.put(variable, variable.equals("SENTINEL_CONFIG") ? file.toString() : otherThanDefault(key, variable)));
        // the file's key under the environment's; the webhook the template variables name
        environment.put("SENTINEL_REPORT_DIR", "from-the-environment");
        environment.put("SENTINEL_WEBHOOKS", "soc");
        OperatorSettings operator = OperatorSettings.of(environment, new Properties());
        assertThat(operator.unknown(SentinelSettings.SCHEMA)).isEmpty();

        Main main = new Main();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport starting) {
                operator.install(starting.getCamelContext().getPropertiesComponent(), SentinelSettings.SCHEMA);
            }
        });
        main.init();
        try {
            CamelContext camel = main.getCamelContext();
            for (Map.Entry<String, String> documented : variables.entrySet()) {
                String variable = documented.getKey();
                String key = documented.getValue();
                if (PROVED_AS_A_PROCESS.contains(variable) && !key.startsWith("camel.management.")) {
                    continue;
                }
                if (variable.equals("SENTINEL_CONFIG")) {
                    assertThat(camel.getPropertiesComponent().resolveProperty("sentinel.report.dir")).as("the file under the environment")
                            .contains("from-the-environment");
                    assertThat(operator.getProperty("sentinel.report.dir", null)).isEqualTo("from-the-environment");
                    assertThat(operator.loadProperties()).containsEntry("sentinel.report.dir", "from-the-environment");
                    continue;
                }
                assertThat(camel.getPropertiesComponent().resolveProperty(key)).as("%s resolved from %s", key, variable)
                        .contains(environment.get(variable));
                if (key.startsWith("camel.")) {
                    assertThat(bound(main, key)).as("%s as Camel Main bound it from %s", key, variable).isEqualTo(environment.get(variable));
                }
            }
        } finally {
            main.stop();
        }
    }

    /** The value Camel Main bound for one of its options, as text. */
    private static String bound(Main main, String key) {
        if (key.equals("camel.metrics.enabled")) {
            // consumed, not kept: on, it adds Camel's metrics service
            return String.valueOf(main.getCamelContext().hasService(CamelMetricsService.class) != null);
        }
        Map.Entry<String, Function<Main, Object>> group = BOUND_IN.entrySet().stream().filter(e -> key.startsWith(e.getKey())).findFirst()
                .orElseThrow(() -> new AssertionError("where does Camel bind " + key + "? add it to BOUND_IN"));
        return String.valueOf(PluginHelper.getBeanIntrospection(main.getCamelContext()).getOrElseProperty(group.getValue().apply(main),
                StringHelper.dashToCamelCase(key.substring(group.getKey().length())), null, true));
    }

    /** A value the setting accepts that is not its default: another choice, the other flag, one more, or other text. */
    private static String otherThanDefault(String key, String variable) {
        Setting<?> setting = SentinelSettings.SCHEMA.findKey(key).orElseThrow();
        String kind = setting.kind();
        String value = setting.defaultValue();
        if (kind.equals("true or false")) {
            // {{!sentinel.once}} is false here, where SENTINEL_ONCE is set to true
            return String.valueOf(!value.equals("true"));
        }
        if (kind.startsWith("a whole number")) {
            return String.valueOf(value.isEmpty() ? 1 : Integer.parseInt(value) + 1);
        }
        if (kind.contains(" or ")) {
            return List.of(kind.replace(" or ", ", ").split(", ")).stream().filter(choice -> !choice.equals(value)).findFirst().orElseThrow();
        }
        // a pattern Camel loads files of: none, so the test starts no route
        return key.equals("camel.main.routes-include-pattern") ? "classpath:no-routes/*.camel.yaml" : "set-by-" + variable;
    }
}
