package io.kdflow.evaluator.runpage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run page's routes on the evaluator's HTTP server (plain Vert.x routes, like the teacher's API).
 * <ul>
 *   <li>{@code GET /} and {@code GET /run-page/<file>}: the page, its script and style sheet, served ahead of
 *       service-support's {@code ApiGuard}: they are the same for everyone and carry no data, so a browser can open
 *       them without a bearer header;</li>
 *   <li>{@code GET /api/runs}: the data, behind the guard: with {@code kdflow.api.token} set the page sends it as
 *       {@code Authorization: Bearer} (it takes it from the page's {@code ?token=} parameter).</li>
 * </ul>
 */
@ApplicationScoped
public class RunPage {

    static final String API = "/api/runs";
    /** Before ApiGuard's order (-10 000): the static files need no token. */
    private static final int STATIC_ORDER = -20_000;
    private static final String RESOURCES = "run-page/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "run-page.js", "text/javascript; charset=utf-8",
            "run-page.css", "text/css; charset=utf-8");

    private final RunBoard board;
    private final PipelineCounters counters;
    private final Map<String, Buffer> files = new LinkedHashMap<>();

    public RunPage(RunBoard board, PipelineCounters counters) {
        this.board = board;
        this.counters = counters;
        FILES.keySet().forEach(name -> files.put(name, Buffer.buffer(resource(RESOURCES + name))));
    }

    void routes(@Observes Router router) {
        router.get("/").order(STATIC_ORDER).handler(ctx -> file(ctx, "index.html"));
        FILES.keySet().forEach(name -> router.get("/run-page/" + name).order(STATIC_ORDER)
                .handler(ctx -> file(ctx, name)));
        router.get(API).handler(this::runs);
    }

    /** The page's data: counters and every job's view. */
    JsonObject json() {
        // nothing that changes without news (no timestamp of the answer): the page redraws only when the body differs
        return new JsonObject().put("service", PipelineCounters.SERVICE).put("counters", counters.json())
                .put("jobs", board.snapshot());
    }

    private void runs(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(json().encode());
    }

    private void file(RoutingContext ctx, String name) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, FILES.get(name))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end(files.get(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = RunPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the evaluator's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
