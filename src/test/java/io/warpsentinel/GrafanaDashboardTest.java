package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/grafana/warp-sentinel.json, checked without Grafana: every query is PromQL that
 * Prometheus parses (promtool, skipped locally without it, never on CI), every panel has its own
 * id and place and asks the Prometheus the dashboard's variable picks. That the metrics it queries
 * exist is MonitoredMetricsTest's.
 */
class GrafanaDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA_SOURCE = "${datasource}";

    private static JsonNode dashboard() throws Exception {
        return JSON.readTree(MonitoredMetricsTest.DASHBOARD.toFile());
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        return panels;
    }

    /** The panels' queries (the account variable's label_values(...) is Grafana's, not PromQL). */
    private static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        panels(dashboard).forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.path("expr").asText())));
        return queries;
    }

    /** A query as Prometheus gets it: Grafana's range variables a duration, the others (label values) any value. */
    private static String asPrometheusGetsIt(String query) {
        return query.replaceAll("\\$__(rate_interval|interval|range)", "5m").replaceAll("\\$\\w+", ".*");
    }

    @Test
    void everyQueryIsPromQLThatPrometheusParses(@TempDir Path folder) throws Exception {
        Path promtool = TestTools.require("prometheus", "promtool");
        List<String> queries = queries(dashboard());
        assertThat(queries).isNotEmpty().doesNotContain("");
        // promtool parses a rule's expression as Prometheus would: each query as a recording rule
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard:query_").append(i).append("\n        expr: ")
                    .append(JSON.writeValueAsString(asPrometheusGetsIt(queries.get(i)))).append('\n');
        }
        Path file = Files.writeString(folder.resolve("dashboard-queries.yml"), rules);

        TestTools.Ran check = TestTools.run(promtool, "check", "rules", file.toString());

        assertThat(check.exitStatus()).as("promtool check rules on the dashboard's queries said: %s%n%s", check.output(), rules).isZero();
    }

    @Test
    void everyPanelHasItsOwnIdAPlaceOnTheGridAndAsksThePrometheusTheVariablePicks() throws Exception {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        JsonNode dataSource = null;
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (DATA_SOURCE.equals("${" + variable.path("name").asText() + "}")) {
                dataSource = variable;
            }
        }
        assertThat(dataSource).as("a variable that picks the Prometheus").isNotNull();
        assertThat(dataSource.path("type").asText()).isEqualTo("datasource");
        assertThat(dataSource.path("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard)) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel %s has an id of its own", panel.path("title")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("w").asInt()).as("%s width", panel.path("title")).isBetween(1, 24);
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("%s fits the 24 columns", panel.path("title")).isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).as("%s height", panel.path("title")).isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.at("/datasource/uid").asText()).as("%s data source", panel.path("title")).isEqualTo(DATA_SOURCE);
            assertThat(panel.path("targets")).as("%s queries", panel.path("title")).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(refIds.add(target.path("refId").asText())).as("%s refIds", panel.path("title")).isTrue();
                assertThat(target.at("/datasource/uid").asText()).as("%s target data source", panel.path("title")).isEqualTo(DATA_SOURCE);
            }
        }
    }
}
