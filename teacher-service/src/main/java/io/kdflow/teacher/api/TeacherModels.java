package io.kdflow.teacher.api;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.teacher.config.TeacherConfig;
import io.kdflow.teacher.jobs.TeacherResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The work behind {@code POST /v1/generate} and {@code /v1/score}: kd-core's {@link Generator} and
 * {@link TeacherForcedScorer} on a job's teacher or a model of the store, each model loaded once. Not thread-safe:
 * {@link TeacherApi} calls it from one thread (libtorch models are used by one thread).
 */
final class TeacherModels implements AutoCloseable {

    static final Set<String> GENERATE_FIELDS = Set.of("inputs", "job", "model", "max_new_tokens", "num_beams",
            "do_sample", "temperature", "top_k", "top_p", "seed");
    static final Set<String> SCORE_FIELDS = Set.of("source", "targets", "job", "model");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TeacherResolver resolver;
    private final TeacherConfig config;
    /** Created with the first model: libtorch starts on the model thread, after the service's thread budget. */
    private NDManager manager;
    private final Map<Path, Loaded> loaded = new HashMap<>();

    TeacherModels(TeacherResolver resolver, TeacherConfig config) {
        this.resolver = resolver;
        this.config = config;
    }

    private record Loaded(String uri, ModelDirectory directory, Generator generator, TeacherForcedScorer scorer) {}

    /** {"texts": [the best hypothesis of each input], "model": store URI}. */
    ObjectNode generate(JsonNode body) {
        RequestFields fields = new RequestFields(body, GENERATE_FIELDS);
        List<String> inputs = fields.texts("inputs", config.maxRequestItems(), "teacher.max-request-items");
        Loaded model = model(fields);
        GenerationSettings settings = decoding(fields, model.generator().defaultSettings());
        TextEncoding encoding = model.directory().textEncoding();
        List<GenerationInput> generationInputs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            generationInputs.add(GenerationInput.of(encoding.source(inputs.get(i)), Integer.toString(i)));
        }
        List<Generation> generations = model.generator().generate(generationInputs, settings);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode texts = response.putArray("texts");
        generations.forEach(generation -> texts.add(encoding.decode(generation.best().tokens())));
        response.put("model", model.uri());
        return response;
    }

    /** {"scores": [{target, token_ids, token_log_probs, sequence_nll, mean_nll}], "model": store URI}. */
    ObjectNode score(JsonNode body) {
        RequestFields fields = new RequestFields(body, SCORE_FIELDS);
        String source = fields.requiredText("source");
        List<String> targets = fields.texts("targets", config.maxRequestItems(), "teacher.max-request-items");
        Loaded model = model(fields);
        TextEncoding encoding = model.directory().textEncoding();
        long[] sourceIds = encoding.source(source);
        List<ScoringPair> pairs = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            long[] targetIds = encoding.target(targets.get(i));
            if (targetIds.length == 0) {
                throw ApiException.badRequest("targets[" + i + "]: encodes to no token");
            }
            pairs.add(new ScoringPair(sourceIds, targetIds));
        }
        List<TargetScore> scores = model.scorer().score(pairs, 1);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode entries = response.putArray("scores");
        for (int i = 0; i < targets.size(); i++) {
            ObjectNode entry = entries.addObject();
            entry.put("target", targets.get(i));
            ArrayNode ids = entry.putArray("token_ids");
            for (long id : pairs.get(i).targetIds()) {
                ids.add(id);
            }
            ArrayNode logProbs = entry.putArray("token_log_probs");
            for (float value : scores.get(i).tokenLogProbs()) {
                logProbs.add(value);
            }
            entry.put("sequence_nll", scores.get(i).totalNll());
            entry.put("mean_nll", scores.get(i).nll());
        }
        response.put("model", model.uri());
        return response;
    }

    private Loaded model(RequestFields fields) {
        var job = fields.text("job");
        var uri = fields.text("model");
        if (job.isPresent() == uri.isPresent()) {
            throw ApiException.badRequest("job, model: give exactly one (a job id whose teacher is ready, or a"
                    + " store: URI of a model directory)");
        }
        Path directory;
        String name;
        if (job.isPresent()) {
            var teacher = resolver.teacherOf(job.get()).orElseThrow(() -> new ApiException(404, "job: "
                    + job.get() + " has no teacher ready on this teacher-service (yet)"));
            directory = teacher.directory();
            name = teacher.uri();
        } else {
            try {
                directory = resolver.store().resolve(uri.get());
            } catch (BadInputException e) {
                throw ApiException.badRequest("model: " + e.getMessage());
            }
            if (!Files.isRegularFile(directory.resolve("config.json"))) {
                throw ApiException.badRequest("model: " + uri.get() + " is not a model directory of the store (no"
                        + " config.json)");
            }
            name = uri.get();
        }
        if (manager == null) {
            manager = NDManager.newBaseManager();
        }
        return loaded.computeIfAbsent(directory, dir -> {
            ModelDirectory model = ModelDirectory.load(dir, manager);
            return new Loaded(name, model, new Generator(model.model(), model.generationConfig()),
                    new TeacherForcedScorer(model.model(), model.generationConfig()));
        });
    }

    /** The model's default decoding with the request's overrides. */
    static GenerationSettings decoding(RequestFields fields, GenerationSettings defaults) {
        GenerationSettings.Builder builder = defaults.toBuilder();
        fields.integer("max_new_tokens", 1, 4096).ifPresent(value -> builder.maxNewTokens(value)
                .minNewTokens(Math.min(defaults.minNewTokens(), value)));
        fields.integer("num_beams", 1, 64).ifPresent(builder::numBeams);
        fields.bool("do_sample").ifPresent(builder::doSample);
        fields.number("temperature", 0, 100).ifPresent(builder::temperature);
        fields.integer("top_k", 0, 1_000_000).ifPresent(builder::topK);
        fields.number("top_p", 0, 1).ifPresent(builder::topP);
        fields.longValue("seed").ifPresent(builder::seed);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("decoding: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        loaded.values().forEach(model -> model.directory().close());
        if (manager != null) {
            manager.close();
        }
    }
}
