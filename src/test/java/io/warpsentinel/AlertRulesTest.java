package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The alert rules, deploy/prometheus/warp-sentinel-rules.yml: valid for Prometheus, passing their
 * own unit tests (promtool, skipped locally without it, never on CI), and the one home of the
 * rules, from which the Prometheus Operator's PrometheusRule is generated:
 * {@code mvn -o -q test -Dtest=AlertRulesTest -Drules.regenerate=true} after editing them.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("deploy/prometheus/warp-sentinel-rules.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/warp-sentinel-rules.test.yml");
    private static final Path PROMETHEUS_RULE = Path.of("deploy/kubernetes/monitoring/prometheusrule.yaml");

    private static final String PROMETHEUS_RULE_HEADER = """
            # Generated from deploy/prometheus/warp-sentinel-rules.yml, the one home of warp-sentinel's alert
            # rules (their comments say why each is as it is): edit that file, then regenerate this one with
            # mvn -o -q test -Dtest=AlertRulesTest -Drules.regenerate=true
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: warp-sentinel
              labels:
                app.kubernetes.io/name: warp-sentinel
            spec:
            """;

    private static Path promtool() {
        return TestTools.require("prometheus", "promtool");
    }

    /** The PrometheusRule: the rules file's groups, comments and all, as its spec. */
    static String prometheusRule(String rules) {
        String groups = rules.substring(rules.indexOf("\ngroups:") + 1);
        return PROMETHEUS_RULE_HEADER + groups.lines().map(line -> line.isEmpty() ? line : "  " + line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void promtoolFindsTheRulesValid() throws Exception {
        TestTools.Ran check = TestTools.run(promtool(), "check", "rules", RULES.toString());

        assertThat(check.exitStatus()).as("promtool check rules said: %s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        TestTools.Ran test = TestTools.run(promtool(), "test", "rules", RULE_TESTS.toString());

        assertThat(test.exitStatus()).as("promtool test rules said: %s", test.output()).isZero();
    }

    @Test
    void thePrometheusRuleBesideTheKubernetesManifestsIsGeneratedFromTheRulesFile() throws Exception {
        String generated = prometheusRule(Files.readString(RULES));
        if (Boolean.getBoolean("rules.regenerate")) {
            Files.writeString(PROMETHEUS_RULE, generated);
        }
        assertThat(Files.readString(PROMETHEUS_RULE)).as("%s, generated from %s (regenerate: -Drules.regenerate=true)", PROMETHEUS_RULE, RULES)
                .isEqualTo(generated);
        Load yaml = new Load(LoadSettings.builder().build());
        assertThat(((Map<?, ?>) ((Map<?, ?>) yaml.loadFromString(generated)).get("spec")).get("groups")).as("the PrometheusRule's groups")
                .isEqualTo(((Map<?, ?>) yaml.loadFromString(Files.readString(RULES))).get("groups"));
    }
}
