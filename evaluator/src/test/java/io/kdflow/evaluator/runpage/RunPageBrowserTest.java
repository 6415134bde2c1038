package io.kdflow.evaluator.runpage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The run page in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) loads
 * {@code /?token=...} of the evaluator after a small run went through it ({@link FinishedRun}: real broker, real
 * evaluations), and finds the leaderboard's three rows with the reports' dev BLEU and the dev BLEU chart's lines,
 * then picks dev chrF for the chart;
 * the screenshot lands in {@code target/run-page.png} (docs/run-page.png is one of these).
 * Skipped when chromium or chromedriver is not on the PATH.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RunPageBrowserTest {

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @TestHTTPResource("/")
    URL page;

    @Test
    void shouldShowTheLeaderboardRowsAndTheDevMetricChartOfAFinishedRun() throws Exception {
        Optional<Path> chromium = onPath("chromium").or(() -> onPath("chromium-browser"));
        Optional<Path> driverBinary = onPath("chromedriver");
        assumeTrue(chromium.isPresent() && driverBinary.isPresent(),
                "chromium or chromedriver is not on the PATH (Debian: apt-get install -y chromium chromium-driver)");
        String job = FinishedRun.freshJob("runpage-browser");
        List<EvalReport> reports = FinishedRun.feed(kafka, job);
        FinishedRun.awaitDone(job);

        Path profile = Files.createTempDirectory("kdflow-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1400,1700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary.get().toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(page + "?token=" + FinishedRun.TOKEN);
            String rowsOfJob = "table.leaderboard[data-job='" + job + "'] tbody tr[data-role]";
            String chart = "section.job[data-job='" + job + "'] .chart[data-metric='dev_bleu'] svg polyline.series";
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(rowsOfJob))
                    .size() == 3 && !d.findElements(By.cssSelector(chart)).isEmpty());

            List<WebElement> rows = browser.findElements(By.cssSelector(rowsOfJob));
            assertThat(rows).extracting(row -> row.getAttribute("data-role"))
                    .containsExactly("teacher", "student_baseline", "student");
            for (WebElement row : rows) {
                ModelRole role = ModelRole.valueOf(row.getAttribute("data-role").toUpperCase(Locale.ROOT));
                double bleu = reports.stream().filter(r -> r.getRole() == role && r.getSplit() == Split.DEV)
                        .findFirst().orElseThrow().getMetricsMap().get("bleu");
                assertThat(Double.parseDouble(row.findElement(By.cssSelector("td[data-metric='dev_bleu']")).getText()))
                        .as("%s dev BLEU as the report has it (2 decimals)", role).isCloseTo(bleu, within(0.005));
            }
            List<WebElement> lines = browser.findElements(By.cssSelector(chart));
            assertThat(lines).extracting(line -> line.getAttribute("data-points"))
                    .as("one line per phase: kd, final-fine-tune").containsExactly("4", "2");
            assertThat(browser.findElements(By.cssSelector("section.job[data-job='" + job
                    + "'] .chart[data-metric='dev_bleu'] line.reference"))).as("teacher and baseline").hasSize(2);
            new Select(browser.findElement(By.cssSelector("section.job[data-job='" + job + "'] select.curve-metric")))
                    .selectByValue("dev_chrf");
            String chrf = "section.job[data-job='" + job + "'] .chart[data-metric='dev_chrf'] svg polyline.series";
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector(chrf)).size() == 2
                    && d.findElements(By.cssSelector(chart)).isEmpty());
            assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();
            assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token");

            Path screenshot = Path.of("target/run-page.png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(screenshot)).isPositive();
        } finally {
            browser.quit();
        }
    }

    private static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }
}
