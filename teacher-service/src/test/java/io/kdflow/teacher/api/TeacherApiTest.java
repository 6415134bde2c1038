package io.kdflow.teacher.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.teacher.messaging.JobSpecProcessorTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The REST API on the real bart-tiny teacher: generate and score equal kd-core's Generator and
 * TeacherForcedScorer on the same model; the bearer token (set in the test profile) is required; malformed,
 * incomplete bodies get 400 with the field named, oversized ones 413; the OpenAPI document is served.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TeacherApiTest {

    private static final String TOKEN = "Bearer test-token";
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final List<String> SOURCES = List.of("You can apply it to your programs, too.",
            "the work must carry prominent notices");

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldGenerateWithTheJobsTeacherLikeKdCoresGenerator() throws Exception {
        String job = "job-api-" + RUN;
        Path outside = HfTiny.copyModel(HfTiny.BART, Path.of("target/teachers-outside-the-store").resolve(job));
        kafka.send(Topics.JOBS, JobSpecProcessorTest.bytes(job), WireCodecs.JOB_SPEC.encode(
                JobSpecProcessorTest.spec(job, outside.toAbsolutePath().toString())));
        kafka.awaitRecord(Topics.CHECKPOINTS, r -> JobSpecProcessorTest.keyOf(r.key()).equals(job + "/teacher"));

        JsonPath response = given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"job\": \"" + job + "\", \"inputs\": [\"" + SOURCES.get(0) + "\", \"" + SOURCES.get(1)
                        + "\"], \"num_beams\": 2, \"max_new_tokens\": 12}")
                .post("/v1/generate").then().statusCode(200).extract().jsonPath();

        List<String> expected = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(); ModelDirectory model = ModelDirectory.load(outside, manager)) {
            Generator generator = new Generator(model.model(), model.generationConfig());
            GenerationSettings settings = generator.defaultSettings().toBuilder().numBeams(2).maxNewTokens(12)
                    .minNewTokens(Math.min(generator.defaultSettings().minNewTokens(), 12)).build();
            TextEncoding encoding = model.textEncoding();
            List<GenerationInput> inputs = List.of(GenerationInput.of(encoding.source(SOURCES.get(0)), "0"),
                    GenerationInput.of(encoding.source(SOURCES.get(1)), "1"));
            generator.generate(inputs, settings).forEach(g -> expected.add(encoding.decode(g.best().tokens())));
        }
        assertThat(response.getList("texts", String.class)).containsExactlyElementsOf(expected);
        assertThat(response.getString("model")).startsWith("store:teachers/");
    }

    @Test
    void shouldScoreAStoreModelLikeKdCoresTeacherForcedScorer() throws Exception {
        Path inStore = HfTiny.copyModel(HfTiny.BART, Path.of("target/test-model-store/api-" + RUN));
        List<String> targets = List.of(SOURCES.get(0), "You may apply it.");

        // Jackson, not JsonPath: JsonPath reads every number as a float, the NLLs are doubles.
        JsonNode response = new ObjectMapper().readTree(given().header("Authorization", TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"model\": \"store:api-" + RUN + "/bart-tiny\", \"source\": \"" + SOURCES.get(0)
                        + "\", \"targets\": [\"" + targets.get(0) + "\", \"" + targets.get(1) + "\"]}")
                .post("/v1/score").then().statusCode(200).extract().asString());

        try (NDManager manager = NDManager.newBaseManager(); ModelDirectory model = ModelDirectory.load(inStore, manager)) {
            TextEncoding encoding = model.textEncoding();
            List<ScoringPair> pairs = targets.stream()
                    .map(t -> new ScoringPair(encoding.source(SOURCES.get(0)), encoding.target(t))).toList();
            List<TargetScore> scores = new TeacherForcedScorer(model.model(), model.generationConfig())
                    .score(pairs, 1);
            assertThat(response.get("model").asText()).isEqualTo("store:api-" + RUN + "/bart-tiny");
            for (int i = 0; i < targets.size(); i++) {
                JsonNode entry = response.get("scores").get(i);
                assertThat(entry.get("target").asText()).isEqualTo(targets.get(i));
                List<Long> ids = new ArrayList<>();
                entry.get("token_ids").forEach(id -> ids.add(id.asLong()));
                assertThat(ids).containsExactly(boxed(pairs.get(i).targetIds()));
                JsonNode logProbs = entry.get("token_log_probs");
                assertThat(logProbs.size()).isEqualTo(scores.get(i).tokenLogProbs().length).isPositive();
                for (int t = 0; t < logProbs.size(); t++) {
                    assertThat((float) logProbs.get(t).asDouble()).isEqualTo(scores.get(i).tokenLogProbs()[t]);
                }
                assertThat(entry.get("sequence_nll").asDouble()).isEqualTo(scores.get(i).totalNll());
                assertThat(entry.get("mean_nll").asDouble()).isEqualTo(scores.get(i).nll());
            }
        }
    }

    @Test
    void shouldRefuseARequestWithoutTheRightBearerToken() {
        given().contentType(ContentType.JSON).body("{\"model\": \"store:x\", \"inputs\": [\"a\"]}")
                .post("/v1/generate").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("Authorization: missing (this API needs a bearer token)"));
        given().header("Authorization", "Bearer nope").contentType(ContentType.JSON).body("{}")
                .post("/v1/score").then().statusCode(401).body("error", equalTo("Authorization: wrong bearer token"));
    }

    @Test
    void shouldAnswerBadBodiesWith400NamingTheField() {
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body("{\"inputs\": [")
                .post("/v1/generate").then().statusCode(400).body("error", containsString("body: not valid JSON"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body("{\"model\": \"store:x\"}")
                .post("/v1/generate").then().statusCode(400)
                .body("error", equalTo("inputs: must be a non-empty array of strings"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"model\": \"store:x\", \"inputs\": [\"a\"], \"beams\": 3}")
                .post("/v1/generate").then().statusCode(400).body("error", equalTo("beams: unknown field (allowed:"
                        + " do_sample, inputs, job, max_new_tokens, model, num_beams, seed, temperature, top_k, top_p)"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"source\": \"a\", \"targets\": [\"b\"], \"job\": \"j\", \"model\": \"store:x\"}")
                .post("/v1/score").then().statusCode(400).body("error", startsWith("job, model: give exactly one"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"source\": \"a\", \"targets\": [\"b\"], \"job\": \"no-such-job\"}")
                .post("/v1/score").then().statusCode(404)
                .body("error", equalTo("job: no-such-job has no teacher ready on this teacher-service (yet)"));
        String oversized = "{\"model\": \"store:x\", \"inputs\": [\"" + "a".repeat(5000) + "\"]}";
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body(oversized)
                .post("/v1/generate").then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("body: larger than 4096 bytes (teacher.max-request-bytes)"));
    }

    @Test
    void shouldServeTheOpenApiDocument() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/generate"))
                .body(containsString("/v1/score")).body(containsString("scheme: bearer"));
    }

    private static org.hamcrest.Matcher<String> startsWith(String prefix) {
        return org.hamcrest.Matchers.startsWith(prefix);
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
