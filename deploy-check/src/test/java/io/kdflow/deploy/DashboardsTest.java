package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards: provisioned from one ConfigMap (Grafana's sidecar label), each with a data-source and a
 * namespace variable that every query uses, and every query valid PromQL (promtool checks them as recording rules).
 */
class DashboardsTest {

    private static final Map<String, Object> DATASOURCE = Map.of("type", "prometheus", "uid", "${datasource}");

    @Test
    void theConfigMapCarriesTheThreeDashboardsForGrafanasSidecar() throws IOException {
        Rendered base = Rendered.of("base");
        Map<String, Object> configMap = base.get("ConfigMap", "kdflow-dashboards");
        assertThat(Yaml.map(configMap, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
        Map<String, Object> data = Yaml.map(configMap, "data");
        assertThat(data).containsOnlyKeys("kdflow-pipeline.json", "kdflow-training.json", "kdflow-quality.json");
        for (String file : data.keySet()) {
            assertThat(data.get(file)).isEqualTo(Files.readString(Repo.DEPLOY.resolve("base/dashboards").resolve(file)));
        }
        assertThat(Dashboards.all(base).values()).extracting(d -> d.get("uid"))
                .containsExactlyInAnyOrder("kdflow-pipeline", "kdflow-training", "kdflow-quality");
    }

    @Test
    void everyDashboardHasDatasourceAndNamespaceVariablesThatEveryQueryUses() {
        Dashboards.all(Rendered.of("base")).forEach((file, dashboard) -> {
            List<Object> variables = Yaml.list(dashboard, "templating", "list");
            Map<String, Object> datasource = variable(variables, "datasource");
            assertThat(datasource).as(file).containsEntry("type", "datasource").containsEntry("query", "prometheus");
            Map<String, Object> namespace = variable(variables, "namespace");
            assertThat(namespace).as(file).containsEntry("type", "query").containsEntry("datasource", DATASOURCE);

            List<Object> panels = Yaml.list(dashboard, "panels");
            assertThat(panels).as(file).hasSizeGreaterThanOrEqualTo(6);
            for (Object panel : panels) {
                Map<?, ?> p = (Map<?, ?>) panel;
                assertThat(p.get("datasource")).as(file + " " + p.get("title")).isEqualTo(DATASOURCE);
                for (Object target : (List<?>) p.get("targets")) {
                    Map<?, ?> t = (Map<?, ?>) target;
                    assertThat(t.get("datasource")).isEqualTo(DATASOURCE);
                    assertThat((String) t.get("expr")).as(file + " " + p.get("title"))
                            .contains("namespace=\"$namespace\"");
                }
            }
        });
    }

    @Test
    void theDashboardsShowWhatTheIssueAsksFor() {
        Map<String, Map<String, Object>> dashboards = Dashboards.all(Rendered.of("base"));
        assertThat(String.join("\n", Dashboards.queries(dashboards.get("kdflow-pipeline.json")).values()))
                .contains("kdflow_sampler_pseudo_targets_total", "kafka_consumergroup_lag", "up{namespace=\"$namespace\", job=\"pt-sampler\"}",
                        "kdflow_dead_letters_total");
        assertThat(String.join("\n", Dashboards.queries(dashboards.get("kdflow-training.json")).values()))
                .contains("kdflow_trainer_train_loss", "deriv(kdflow_trainer_step", "kdflow_trainer_joint_teaching_staleness_steps",
                        "kdflow_trainer_data_wait_seconds");
        assertThat(String.join("\n", Dashboards.queries(dashboards.get("kdflow-quality.json")).values()))
                .contains("split=\"test\"", "split=\"dev\"", "split=\"trainer\"", "gap_closed_$metric");
    }

    @Test
    void everyQueryIsValidPromql() throws IOException {
        Optional<Tool> promtool = Tool.find("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not on the PATH (Debian: apt-get install -y prometheus)");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (Map<String, Object> dashboard : Dashboards.all(Rendered.of("base")).values()) {
            for (String query : Dashboards.queries(dashboard).values()) {
                rules.append("      - record: dashboard:query_").append(n++).append("\n        expr: ")
                        // A JSON string is a YAML double-quoted scalar.
                        .append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Dashboards.substituted(query)))
                        .append('\n');
            }
        }
        Path dir = Repo.work("promtool");
        Files.writeString(dir.resolve("dashboard-queries.rules.yaml"), rules);
        Tool.Result result = promtool.get().run(dir, "check", "rules", "dashboard-queries.rules.yaml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + n + " rules found");
    }

    private static Map<String, Object> variable(List<Object> variables, String name) {
        return variables.stream().map(v -> castMap(v)).filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
