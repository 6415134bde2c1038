package io.kdflow.deploy;

import java.util.Arrays;
import java.util.Map;

/** A kustomize patch target: group, version, kind, name and a label selector (equality or {@code key in (a,b)}). */
final class Selector {

    private Selector() {
    }

    static boolean matches(Map<String, Object> target, Map<String, Object> resource) {
        String apiVersion = (String) resource.get("apiVersion");
        return equalOrAbsent(target.get("group"), group(resource))
                && equalOrAbsent(target.get("version"), apiVersion.substring(apiVersion.indexOf('/') + 1))
                && equalOrAbsent(target.get("kind"), resource.get("kind"))
                && (target.get("name") == null
                    || Yaml.string(resource, "metadata", "name").matches((String) target.get("name")))
                && (target.get("labelSelector") == null
                    || labelsMatch((String) target.get("labelSelector"), Yaml.map(resource, "metadata", "labels")));
    }

    /** The API group of a resource: "" for the core group ({@code v1}). */
    static String group(Map<String, Object> resource) {
        String apiVersion = (String) resource.get("apiVersion");
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static boolean equalOrAbsent(Object expected, Object actual) {
        return expected == null || expected.equals(actual);
    }

    static boolean labelsMatch(String selector, Map<String, Object> labels) {
        // Requirements are separated by commas outside parentheses.
        for (String requirement : selector.split(",(?![^()]*\\))")) {
            String r = requirement.trim();
            if (r.contains(" in ")) {
                String key = r.substring(0, r.indexOf(" in ")).trim();
                String set = r.substring(r.indexOf('(') + 1, r.lastIndexOf(')'));
                Object value = labels.get(key);
                if (value == null || Arrays.stream(set.split(",")).map(String::trim).noneMatch(value::equals)) {
                    return false;
                }
            } else if (r.contains("=")) {
                String[] pair = r.split("==?", 2);
                if (!pair[1].trim().equals(labels.get(pair[0].trim()))) {
                    return false;
                }
            } else {
                throw new IllegalStateException("label selector requirement '" + r + "' is not supported");
            }
        }
        return true;
    }
}
