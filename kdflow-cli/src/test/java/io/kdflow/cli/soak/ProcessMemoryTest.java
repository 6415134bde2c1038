package io.kdflow.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VmRSS read from a /proc status file: this JVM's own, a written one, a missing one, a malformed one. */
class ProcessMemoryTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadThisProcesssResidentMemory() {
        OptionalLong rss = ProcessMemory.rssBytes(ProcessHandle.current().pid());

        assertThat(rss).isPresent();
        assertThat(rss.getAsLong()).as("a JVM's resident bytes").isGreaterThan(1 << 20)
                .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() + (8L << 30));
    }

    @Test
    void shouldParseTheVmRssLineInKibibytes() throws IOException {
        Path status = Files.writeString(temp.resolve("status"), "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\n"
                + "RssAnon:\t  100 kB\n");

        assertThat(ProcessMemory.rssBytes(status)).hasValue(123456L * 1024);
    }

    @Test
    void shouldAnswerEmptyForAProcessThatIsGone() {
        assertThat(ProcessMemory.rssBytes(temp.resolve("no-such-process/status"))).isEmpty();
    }

    @Test
    void shouldNameAStatusFileWithoutVmRss() throws IOException {
        Path status = Files.writeString(temp.resolve("status"), "Name:\tkthreadd\nState:\tS (sleeping)\n");

        assertThatThrownBy(() -> ProcessMemory.rssBytes(status)).isInstanceOf(IllegalStateException.class)
                .hasMessage(status + " has no VmRSS line");
    }
}
