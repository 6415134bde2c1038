package io.kdflow.service;

import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The first handler of every HTTP request of every service: bearer-token check ({@code kdflow.api.token}) and
 * body-size limit ({@code kdflow.api.max-body-bytes}), answered as JSON {@code {"error": ..., "status": ...}}
 * (401 with {@code WWW-Authenticate: Bearer}, 413). The token guards a service's own routes; Quarkus' {@code /q/*}
 * endpoints stay open (health probes, so that a kubelet without the token can probe the pod; the OpenAPI document),
 * {@code /q/metrics} unless {@code kdflow.api.protect-metrics}.
 */
@Startup
@ApplicationScoped
public class ApiGuard {

    /** Runs before every route a service or Quarkus registers. */
    static final int ORDER = -10_000;

    private final ApiConfig config;

    public ApiGuard(ApiConfig config) {
        this.config = config;
    }

    @PostConstruct
    void checkSettings() {
        rules(config.token(), config.maxBodyBytes()).check();
    }

    /** What {@code kdflow.api.*} must satisfy. */
    static SettingRules rules(Optional<String> token, long maxBodyBytes) {
        return new SettingRules()
                .rule("kdflow.api.token", "(hidden)", token.map(t -> !t.isBlank()).orElse(true),
                        "must not be blank; leave it unset for an open API")
                .atLeast("kdflow.api.max-body-bytes", maxBodyBytes, 1);
    }

    void routes(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Optional<String> token = config.token();
        if (token.isPresent() && !isOpen(path, config.protectMetrics()) && !authorized(ctx, token.get())) {
            String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            error(ctx, 401, header == null || header.isEmpty()
                    ? "Authorization: missing (this API needs a bearer token)"
                    : "Authorization: wrong bearer token");
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            error(ctx, 413, "body: " + length + " bytes is larger than " + config.maxBodyBytes()
                    + " bytes (kdflow.api.max-body-bytes)");
            return;
        }
        ctx.next();
    }

    /** Quarkus' own endpoints (/q/health probes, /q/openapi) stay open; /q/metrics unless protect-metrics. */
    static boolean isOpen(String path, boolean protectMetrics) {
        return path.startsWith("/q/") && !(path.startsWith("/q/metrics") && protectMetrics);
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }

    private static boolean authorized(RoutingContext ctx, String token) {
        String header = Optional.ofNullable(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).orElse("");
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON error every kdflow HTTP endpoint answers with. */
    public static void error(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }
}
