package io.kdflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server (the Debian package's binary) scraping given targets, with the labels the PodMonitors
 * give them on Kubernetes ({@code job} = the service, {@code namespace}, {@code pod}); stopped by {@link #close()}.
 */
final class Prometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Prometheus(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Prometheus in {@code dir} scraping {@code targets} (service name to host:port) every second. */
    static Prometheus start(Tool binary, Path dir, Map<String, String> targets, String namespace) throws IOException {
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: kdflow-services\n    metrics_path: /q/metrics\n"
                + "    honor_labels: false\n    static_configs:\n");
        targets.forEach((service, address) -> config.append("      - targets: ['").append(address)
                .append("']\n        labels: {job: '").append(service).append("', namespace: '").append(namespace)
                .append("', pod: '").append(service).append("-0'}\n"));
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        Process process = new ProcessBuilder(binary.executable().toString(),
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Prometheus prometheus = new Prometheus(process, port);
        prometheus.awaitReady();
        return prometheus;
    }

    /** The series of a range query over [start, end], one point every 2 s. */
    List<JsonNode> rangeQuery(String query, Instant start, Instant end) {
        String url = "http://127.0.0.1:" + port + "/api/v1/query_range?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=2";
        JsonNode answer = get(url);
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException("query " + query + " failed: " + answer);
        }
        List<JsonNode> series = new java.util.ArrayList<>();
        answer.path("data").path("result").forEach(series::add);
        return series;
    }

    /** Scrape targets that are up at the moment. */
    long targetsUp() {
        JsonNode answer = get("http://127.0.0.1:" + port + "/api/v1/targets?state=active");
        long up = 0;
        for (JsonNode target : answer.path("data").path("activeTargets")) {
            if ("up".equals(target.path("health").asText())) {
                up++;
            }
        }
        return up;
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException("prometheus not ready after 60 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
