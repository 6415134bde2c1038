package io.kdflow.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The Grafana dashboards of a rendering (the kdflow-dashboards ConfigMap) and their queries. */
final class Dashboards {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dashboards() {
    }

    /** Each dashboard of the ConfigMap by file name, parsed. */
    static Map<String, Map<String, Object>> all(Rendered rendered) {
        Map<String, Map<String, Object>> dashboards = new TreeMap<>();
        Yaml.map(rendered.get("ConfigMap", "kdflow-dashboards"), "data").forEach((file, json) -> {
            try {
                dashboards.put(file, JSON.readValue((String) json, new TypeReference<Map<String, Object>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException(file + " is not JSON: " + e.getMessage(), e);
            }
        });
        return dashboards;
    }

    /** Every PromQL query of a dashboard: panel targets and query variables, keyed by where they are. */
    static Map<String, String> queries(Map<String, Object> dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Object panel : Yaml.list(dashboard, "panels")) {
            Map<String, Object> p = cast(panel);
            for (Object target : Yaml.list(p, "targets")) {
                queries.put("panel '" + p.get("title") + "' " + cast(target).get("refId"), (String) cast(target).get("expr"));
            }
        }
        for (Object variable : Yaml.list(dashboard, "templating", "list")) {
            Map<String, Object> v = cast(variable);
            if ("query".equals(v.get("type"))) {
                queries.put("variable " + v.get("name"), Yaml.string(v, "query", "query"));
            }
        }
        return queries;
    }

    /**
     * A query as Prometheus sees it once Grafana has substituted the variables (label_values(m, l) becomes m: it
     * is a Grafana function, not PromQL).
     */
    static String substituted(String query) {
        String q = query.replace("$namespace", "kdflow").replace("$job", ".*").replace("$metric", "bleu")
                .replace("$__rate_interval", "5m");
        if (q.startsWith("label_values(")) {
            String inner = q.substring("label_values(".length(), q.lastIndexOf(','));
            return inner.trim();
        }
        return q;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
