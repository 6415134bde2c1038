package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kdflow run} with bad options fails at once with one line on stderr and starts nothing. */
class RunCommandErrorsTest {

    @TempDir
    Path dir;

    @Test
    void shouldRejectABootstrapAddressWithoutPort() {
        CommandRun run = CommandRun.of("run", "--job", "jobs/shakespeare-quick.yaml", "--bootstrap", "localhost");

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).isEqualTo("kdflow run: --bootstrap localhost: 'localhost' is not HOST:PORT (e.g."
                + " localhost:9092; several separated by commas)" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRejectContainersWithABootstrapAddress() {
        CommandRun run = CommandRun.of("run", "--job", "jobs/shakespeare-quick.yaml", "--bootstrap", "localhost:9092",
                "--containers");

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).isEqualTo("kdflow run: --containers starts the broker and the services here: it cannot"
                + " go with --bootstrap" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRejectAMissingJobFileBeforeStartingAnything() {
        Path missing = dir.resolve("nope.yaml");

        CommandRun run = CommandRun.of("run", "--job", missing.toString(), "--set", "optimization.epochs=1");

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).isEqualTo("kdflow run: " + missing + ": no such job file" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldRejectANonPositiveTimeout() throws Exception {
        Path job = Files.writeString(dir.resolve("job.yaml"), "name: x\n");

        CommandRun run = CommandRun.of("run", "--job", job.toString(), "--timeout-minutes", "0");

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).isEqualTo("kdflow run: --timeout-minutes 0: expected at least 1" + System.lineSeparator());
    }
}
