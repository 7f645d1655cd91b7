package io.warpsentinel.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** What sentinel.remediate.action does to a finding of each reason, and revoke-then-delete's settings checked at the start. */
class RemediateSettingsTest {

    /** The defaults (the generated application.properties) with these settings over them. */
    private static RemediateSettings read(String... keysAndValues) throws Exception {
        Properties properties = new Properties();
        try (Reader defaults = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(defaults);
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PropertiesComponent component = (PropertiesComponent) camel.getPropertiesComponent();
            component.setInitialProperties(properties);
            return RemediateSettings.read(new SettingsSource(component));
        }
    }

    @Test
    void revokeThenDeleteRevokesItsReasonsAndDeletesOnlyWhatItRevoked() throws Exception {
        RemediateSettings staged = read("sentinel.remediate.action", "revoke-then-delete");

        assertThat(staged.action()).isEqualTo(Action.REVOKE_THEN_DELETE);
        assertThat(staged.deleteAfterText()).as("the default, as people write it").isEqualTo("P14D");
        assertThat(staged.stageFor(Reason.STALE, false)).isEqualTo(Action.REVOKE);
        assertThat(staged.stageFor(Reason.NEVER_USED, false)).isEqualTo(Action.REVOKE);
        assertThat(staged.stageFor(Reason.REVOKED, true)).isEqualTo(Action.DELETE);
        assertThat(staged.stageFor(Reason.REVOKED, false)).as("revoked by someone else").isNull();
        assertThat(staged.stageFor(Reason.INVALID, false)).isNull();
        RemediateSettings delete = read("sentinel.remediate.action", "delete");
        assertThat(delete.stageFor(Reason.REVOKED, false)).isEqualTo(Action.DELETE);
        assertThat(delete.stageFor(Reason.STALE, false)).isEqualTo(Action.DELETE);
        RemediateSettings revoke = read("sentinel.remediate.action", "revoke");
        assertThat(revoke.stageFor(Reason.REVOKED, true)).isNull();
        assertThat(revoke.stageFor(Reason.SUPERSEDED, false)).isEqualTo(Action.REVOKE);
    }

    @Test
    void revokeThenDeleteMustDeleteBeforeTheFindingStateForgetsTheRevoke() {
        assertThatThrownBy(() -> read("sentinel.remediate.action", "revoke-then-delete", "sentinel.remediate.delete-after", "P30D",
                "sentinel.state.keep-removals", "P30D")).isInstanceOf(SettingException.class)
                .hasMessageStartingWith("sentinel.remediate.delete-after (P30D) must be shorter than sentinel.state.keep-removals (P30D)");
        assertThatThrownBy(() -> read("sentinel.remediate.action", "revoke-then-delete", "sentinel.remediate.delete-after", "14 days"))
                .isInstanceOf(SettingException.class).hasMessageContaining("sentinel.remediate.delete-after");
    }
}
