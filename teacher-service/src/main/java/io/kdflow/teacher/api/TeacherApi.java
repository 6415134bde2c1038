package io.kdflow.teacher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.error.BadInputException;
import io.kdflow.service.ApiGuard;
import io.kdflow.teacher.config.TeacherConfig;
import io.kdflow.teacher.jobs.TeacherResolver;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The teacher's REST API on the service's HTTP server (plain Vert.x routes: no JAX-RS extension is available
 * offline here): {@code POST /v1/generate} and {@code POST /v1/score}, JSON in and out, behind the optional
 * bearer token every service shares ({@code kdflow.api.token}, checked by service-support's {@link ApiGuard}),
 * and the API's OpenAPI document at {@code /q/openapi} (hand-written, in {@code openapi/teacher-service.yaml}). Model work runs on one thread of its own, off the event loop.
 */
@ApplicationScoped
public class TeacherApi {

    static final String OPENAPI = "openapi/teacher-service.yaml";

    private static final Logger LOG = Logger.getLogger(TeacherApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final TeacherConfig config;
    private final TeacherModels models;
    private final ExecutorService modelThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "teacher-api-models");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] openApi;

    public TeacherApi(TeacherConfig config, TeacherResolver resolver) {
        this.config = config;
        this.models = new TeacherModels(resolver, config);
        try (InputStream in = TeacherApi.class.getClassLoader().getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI + " is missing from the service's resources");
            }
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, "/q/openapi").order(-100).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml").end(io.vertx.core.buffer.Buffer.buffer(openApi)));
        router.post("/v1/*").order(-99).handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()))
                .failureHandler(this::failure);
        router.post("/v1/generate").handler(ctx -> serve(ctx, models::generate));
        router.post("/v1/score").handler(ctx -> serve(ctx, models::score));
    }

    void stop(@Observes ShutdownEvent event) {
        modelThread.shutdownNow();
        models.close();
    }

    private void serve(RoutingContext ctx, Function<JsonNode, ObjectNode> work) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (JsonProcessingException e) {
            error(ctx, 400, "body: not valid JSON (" + e.getOriginalMessage() + ")");
            return;
        } catch (IOException e) {
            error(ctx, 400, "body: not readable (" + e.getMessage() + ")");
            return;
        }
        modelThread.execute(() -> {
            try {
                ObjectNode result = work.apply(body);
                ctx.response().setStatusCode(200).putHeader("Content-Type", JSON_TYPE)
                        .end(JSON.writeValueAsString(result));
            } catch (ApiException e) {
                error(ctx, e.status(), e.getMessage());
            } catch (BadInputException e) {
                error(ctx, 400, e.getMessage());
            } catch (RuntimeException | IOException e) {
                LOG.errorf(e, "%s %s failed", ctx.request().method(), ctx.request().path());
                error(ctx, 500, "internal error: " + e.getMessage());
            }
        });
    }

    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            error(ctx, 413, "body: larger than " + config.maxRequestBytes() + " bytes (teacher.max-request-bytes)");
        } else if (ctx.failure() != null) {
            LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), ctx.request().path());
            error(ctx, 500, "internal error: " + ctx.failure().getMessage());
        } else {
            error(ctx, ctx.statusCode(), "request failed with status " + ctx.statusCode());
        }
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ApiGuard.error(ctx, status, message);
    }
}
