package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.secrets.Secrets;
import io.warpsentinel.settings.Setting;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The declarations are what start-up, redaction and the documentation rely on. */
class SettingsSchemaTest {

    @Test
    void secretSettingsAreFoundByKeyOrEnvironmentVariableBeforeAnythingIsLogged() {
        Secrets secrets = new Secrets();
        Properties system = new Properties();
        system.setProperty("sentinel.webhook.soc.secret", "whsec-0123456789");
        SentinelSettings.SCHEMA.registerSecrets(Map.of("CLOUDFLARE_API_TOKEN", "cf-token-0123456789", "SENTINEL_WEBHOOK_SOC_HEADERS",
                "X-Api-Key: key-0123456789; X-Team: secops", "SENTINEL_STATE_JDBC_URL", "jdbc:postgresql://db/ws?user=u&password=db-pass-0123",
                "SENTINEL_WEBHOOK_MY_TEAM_URL", "https://hooks.example.com/services/abcdefghijklmnopqrstuvwx",
                "SENTINEL_METRICS_PUSH_URL", "https://pusher:push-pass-0123@pushgateway.example.com",
                "HOME", "/home/someone-with-a-long-name"), system, secrets);

        assertThat(secrets.redact("cf-token-0123456789 whsec-0123456789 key-0123456789 secops db-pass-0123 abcdefghijklmnopqrstuvwx "
                + "push-pass-0123 /home/someone-with-a-long-name"))
                .isEqualTo("[redacted] [redacted] [redacted] secops [redacted] [redacted] [redacted] /home/someone-with-a-long-name");
    }

    @Test
    void aKeyAndItsEnvironmentVariableNameTheSameSetting() {
        assertThat(SentinelSettings.SCHEMA.find("SENTINEL_STALE_AFTER")).map(Setting::key).hasValue("sentinel.stale-after");
        assertThat(SentinelSettings.SCHEMA.find("sentinel.webhook.ops-2.url")).map(Setting::key).hasValue("sentinel.webhook.<name>.url");
        assertThat(SentinelSettings.SCHEMA.find("SENTINEL_STAL_AFTER")).isEmpty();
    }

    @Test
    void everySettingIsDeclaredOnce() {
        assertThat(SentinelSettings.SCHEMA.settings()).extracting(Setting::key).doesNotHaveDuplicates();
    }
}
