package io.kdflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the services export, read from their sources: every Micrometer name literal
 * ({@code "kdflow.sampler.pseudo.targets"}) and each service's records counter ({@code "kdflow." + SERVICE +
 * ".records"}), in Prometheus form with the suffixes Micrometer's Prometheus registry adds.
 */
final class MetricNames {

    /** Modules whose main sources register metrics. */
    private static final List<String> MODULES = List.of("service-support", "teacher-service", "pt-sampler",
            "student-trainer", "evaluator");

    /** Suffixes Micrometer adds: counters _total, timers _seconds_{count,sum,max,bucket}. */
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds_count", "_seconds_sum",
            "_seconds_max", "_seconds_bucket");

    /**
     * Metrics a rule or dashboard may name before the code that exports them is merged (work in flight on other
     * branches); empty on main, where every name must come from the sources.
     */
    static final Set<String> ANNOUNCED = Set.of();

    /** Metrics from outside kdflow: Prometheus' own and Strimzi's Kafka Exporter's. */
    static final Set<String> EXTERNAL = Set.of("up", "kafka_consumergroup_lag");

    private static final Pattern LITERAL = Pattern.compile("\"(kdflow(?:\\.[a-z0-9]+)+)\"");
    private static final Pattern SERVICE = Pattern.compile("static final String SERVICE = \"([a-z]+)\"");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:$])(kdflow_[a-z0-9_]+|kafka_[a-z0-9_]+|up)(?![A-Za-z0-9_])");

    private MetricNames() {
    }

    /** The Micrometer base names (dots as underscores) in the services' sources. */
    static Set<String> exported() {
        Set<String> bases = new TreeSet<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(Repo.ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher literal = LITERAL.matcher(source);
                    while (literal.find()) {
                        bases.add(literal.group(1).replace('.', '_'));
                    }
                    Matcher service = SERVICE.matcher(source);
                    while (service.find()) {
                        bases.add("kdflow_" + service.group(1) + "_records");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bases;
    }

    /** The metric names a PromQL expression reads (label values and strings left out). */
    static Set<String> in(String expression) {
        String code = QUOTED.matcher(expression).replaceAll("\"\"");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Names of {@code expression} that nothing exports. */
    static Set<String> unknown(String expression, Set<String> exported) {
        Set<String> unknown = new TreeSet<>();
        for (String name : in(expression)) {
            boolean known = EXTERNAL.contains(name) || ANNOUNCED.contains(name)
                    || SUFFIXES.stream().anyMatch(s -> name.endsWith(s)
                        && exported.contains(name.substring(0, name.length() - s.length())));
            if (!known) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Every PromQL expression of the rules and dashboards of a rendering, with where it is. */
    static Map<String, String> expressions(Rendered rendered) {
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        Map<String, Object> rules = rendered.get("PrometheusRule", "kdflow-alerts");
        for (Object group : Yaml.list(rules, "spec", "groups")) {
            for (Object rule : Yaml.list(cast(group), "rules")) {
                expressions.put("alert " + cast(rule).get("alert"), (String) cast(rule).get("expr"));
            }
        }
        Dashboards.all(rendered).forEach((file, dashboard) ->
                Dashboards.queries(dashboard).forEach((where, query) -> expressions.put(file + " " + where, query)));
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
