/**
 * Tests of the Kubernetes manifests in {@code deploy/}: they parse ({@link io.kdflow.deploy.ManifestsParseTest}),
 * render with a Java kustomize subset and, where installed, kubectl ({@link io.kdflow.deploy.OverlaysRenderTest}),
 * validate strictly against the resources' models ({@link io.kdflow.deploy.SchemaValidationTest}), agree with the
 * code and the services' configuration ({@link io.kdflow.deploy.CrossChecksTest}), read only exported metrics
 * ({@link io.kdflow.deploy.MetricNamesTest}), and the alert rules and dashboards pass promtool
 * ({@link io.kdflow.deploy.AlertRulesTest}, {@link io.kdflow.deploy.DashboardsTest}).
 */
package io.kdflow.deploy;
