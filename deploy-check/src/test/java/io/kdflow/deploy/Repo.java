package io.kdflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Paths of the repository the tests check: deploy/, the services' configuration and sources. */
final class Repo {

    /** The four services, in data-flow order. */
    static final List<String> SERVICES = List.of("teacher-service", "pt-sampler", "student-trainer", "evaluator");

    static final Path ROOT = Path.of(System.getProperty("kdflow.root", "..")).toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");

    /** The overlays and the base, by the name the tests report. */
    static final Map<String, Path> KUSTOMIZATIONS = Map.of(
            "base", DEPLOY.resolve("base"),
            "dev", DEPLOY.resolve("overlays/dev"),
            "prod", DEPLOY.resolve("overlays/prod"));

    private Repo() {
    }

    /** A service's src/main/resources/application.properties (the default profile's values). */
    static Properties applicationProperties(String service) {
        Path file = ROOT.resolve(service).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    /** The project version the build runs with (image tags follow it). */
    static String version() {
        return Optional.ofNullable(System.getProperty("kdflow.version"))
                .orElseThrow(() -> new IllegalStateException("system property kdflow.version is not set (surefire sets it)"));
    }

    /** A directory under the module's target/ for files the tests write. */
    static Path work(String name) {
        Path dir = ROOT.resolve("deploy-check/target/deploy-check").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
