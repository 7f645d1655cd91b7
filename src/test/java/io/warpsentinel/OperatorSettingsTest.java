package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.settings.OperatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which keys an operator's config file, -D and environment may hold, and which layer wins (no process needed). */
class OperatorSettingsTest {

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
}
