package io.kdflow.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Who may call a service's HTTP endpoints ({@link ApiGuard}). Unset token = open (localhost default); the
 * Kubernetes overlays set it from a Secret.
 */
@ConfigMapping(prefix = "kdflow.api")
public interface ApiConfig {

    /**
     * {@code kdflow.api.token}: the bearer token every request must carry ({@code Authorization: Bearer <token>}),
     * to a service's own routes; Quarkus' {@code /q/*} endpoints (health probes, OpenAPI) stay open and
     * {@code /q/metrics} too unless {@link #protectMetrics()}. Unset = open.
     */
    Optional<String> token();

    /** {@code kdflow.api.protect-metrics}: whether {@code /q/metrics} needs the token too. Defaults to {@code false}. */
    @WithDefault("false")
    boolean protectMetrics();

    /**
     * {@code kdflow.api.max-body-bytes}: requests announcing a larger body ({@code Content-Length}) are answered
     * 413 before it is read. Defaults to 1 MiB.
     */
    @WithDefault("1048576")
    long maxBodyBytes();
}
