package io.kdflow.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service Deployments of a rendering, read as a container sees them. */
final class Workloads {

    private Workloads() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = Yaml.list(deployment, "spec", "template", "spec", "containers");
        if (containers.size() != 1) {
            throw new AssertionError(Yaml.string(deployment, "metadata", "name") + ": one container expected");
        }
        return (Map<String, Object>) containers.get(0);
    }

    /**
     * The literal environment of a service's container: its ConfigMaps (envFrom) overridden by its own env entries;
     * entries from Secrets map to {@code secret:<name>/<key>}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Rendered rendered, String service) {
        Map<String, Object> container = container(rendered.get("Deployment", service));
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object from : Yaml.list(container, "envFrom")) {
            String configMap = Yaml.string((Map<String, Object>) from, "configMapRef", "name");
            Yaml.map(rendered.get("ConfigMap", configMap), "data").forEach((k, v) -> environment.put(k, v.toString()));
        }
        for (Object entry : Yaml.list(container, "env")) {
            Map<String, Object> env = (Map<String, Object>) entry;
            Map<String, Object> secret = Yaml.map(env, "valueFrom", "secretKeyRef");
            environment.put((String) env.get("name"), secret.isEmpty() ? env.get("value").toString()
                    : "secret:" + secret.get("name") + "/" + secret.get("key"));
        }
        return environment;
    }

    /** CPU quantity in cores ("2", "500m"). */
    static double cores(Object quantity) {
        String q = quantity.toString();
        return q.endsWith("m") ? Double.parseDouble(q.substring(0, q.length() - 1)) / 1000 : Double.parseDouble(q);
    }
}
