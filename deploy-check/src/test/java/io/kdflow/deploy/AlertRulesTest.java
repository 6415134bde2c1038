package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule's alerts: the ones docs/operations.md lists, each with a promtool unit test
 * (src/test/resources/promtool/kdflow-alerts.test.yaml), and {@code promtool check rules} and
 * {@code promtool test rules} pass. Without promtool on the PATH the promtool tests are skipped with the install line.
 */
class AlertRulesTest {

    /** The alerts of docs/operations.md, "Alerts". */
    static final Set<String> ALERTS = Set.of("KdflowServiceDown", "KdflowSamplerLagGrowing", "KdflowTrainerStalled",
            "KdflowDeadLetters", "KdflowEvaluatorRegression");

    private static final Optional<Tool> PROMTOOL = Tool.find("promtool");
    private static final String INSTALL = "promtool is not on the PATH (Debian: apt-get install -y prometheus)";

    private static Path dir;
    private static Map<String, Object> groups;

    @BeforeAll
    static void writeRulesAndTests() throws IOException {
        groups = Yaml.map(Rendered.of("base").get("PrometheusRule", "kdflow-alerts"), "spec");
        dir = Repo.work("promtool");
        Yaml.MAPPER.writeValue(dir.resolve("kdflow-alerts.rules.yaml").toFile(), groups);
        try (InputStream tests = AlertRulesTest.class.getResourceAsStream("/promtool/kdflow-alerts.test.yaml")) {
            Files.write(dir.resolve("kdflow-alerts.test.yaml"), tests.readAllBytes());
        }
    }

    @Test
    void theAlertsAreTheOnesTheOperationsGuideExplains() throws IOException {
        assertThat(alertNames()).containsExactlyInAnyOrderElementsOf(ALERTS);
        Path guide = Repo.ROOT.resolve("docs/operations.md");
        if (Files.exists(guide)) {
            String text = Files.readString(guide);
            int alerts = text.indexOf("## Alerts");
            if (alerts >= 0) {
                Set<String> documented = new TreeSet<>();
                Matcher m = Pattern.compile("(?m)^\\| `(Kdflow[A-Za-z]+)`").matcher(text.substring(alerts));
                while (m.find()) {
                    documented.add(m.group(1));
                }
                assertThat(documented).containsExactlyInAnyOrderElementsOf(ALERTS);
            }
        }
    }

    @Test
    void everyAlertHasAUnitTestWhereItFires() {
        Set<String> firing = new TreeSet<>();
        for (Object test : Yaml.list(Yaml.documents(dir.resolve("kdflow-alerts.test.yaml")).get(0), "tests")) {
            @SuppressWarnings("unchecked")
            List<Object> alertTests = Yaml.list((Map<String, Object>) test, "alert_rule_test");
            for (Object alertTest : alertTests) {
                Map<?, ?> t = (Map<?, ?>) alertTest;
                if (t.get("exp_alerts") instanceof List<?> expected && !expected.isEmpty()) {
                    firing.add((String) t.get("alertname"));
                }
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void theRulesAreTheSameInEveryOverlay() {
        for (String overlay : List.of("dev", "prod")) {
            assertThat(Yaml.map(Rendered.of(overlay).get("PrometheusRule", "kdflow-alerts"), "spec"))
                    .as(overlay).isEqualTo(groups);
        }
    }

    @Test
    void promtoolChecksTheRules() {
        assumeTrue(PROMTOOL.isPresent(), INSTALL);
        Tool.Result result = PROMTOOL.get().run(dir, "check", "rules", "kdflow-alerts.rules.yaml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void promtoolUnitTestsOfEveryAlertPass() {
        assumeTrue(PROMTOOL.isPresent(), INSTALL);
        Tool.Result result = PROMTOOL.get().run(dir, "test", "rules", "kdflow-alerts.test.yaml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolRejectsABrokenExpression() throws IOException {
        assumeTrue(PROMTOOL.isPresent(), INSTALL);
        Files.writeString(dir.resolve("broken.rules.yaml"),
                "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum by (job (up)\n");
        Tool.Result result = PROMTOOL.get().run(dir, "check", "rules", "broken.rules.yaml");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("FAILED");
    }

    private static List<String> alertNames() {
        return Yaml.list(groups, "groups").stream()
                .flatMap(g -> Yaml.list((Map<String, Object>) castMap(g), "rules").stream())
                .map(r -> (String) ((Map<?, ?>) r).get("alert"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
