package dev.gradlens.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.system.GradlensProperties;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ModelControllerIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ModelRepository modelRows;

    @Autowired
    ModelRegistry registry;

    @Autowired
    GradlensProperties properties;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void shouldCreateModelWithLocationNamesShapesAndCount() {
        Api.Response response = api.post("/api/models", Fixtures.tinyCharModel());
        JsonNode model = response.ok(201);
        String id = model.path("id").asString();

        assertThat(response.header("Location")).endsWith("/api/models/" + id);
        int vocab = (int) Fixtures.CORPUS.chars().distinct().count();
        assertThat(model.path("config").path("vocabSize").asInt()).isEqualTo(vocab);
        assertThat(model.path("config").path("dFF").asInt()).isEqualTo(32);
        assertThat(model.path("loaded").asBoolean()).isTrue();
        assertThat(model.path("tokenizer").path("alphabet").asString())
                .isEqualTo(sortedDistinct(Fixtures.CORPUS));

        List<String> names = new ArrayList<>();
        long total = 0;
        for (JsonNode p : model.path("parameters")) {
            names.add(p.path("name").asString());
            long product = 1;
            for (JsonNode d : p.path("shape")) {
                product *= d.asLong();
            }
            assertThat(p.path("count").asLong()).isEqualTo(product);
            total += product;
        }
        assertThat(names).startsWith("token_embedding.weight", "position_embedding.weight",
                "blocks.0.ln1.weight").endsWith("final_ln.weight", "final_ln.bias",
                "lm_head.weight", "lm_head.bias");
        assertThat(names).contains("blocks.1.attention.q.weight", "blocks.1.ffn.fc2.bias");
        assertThat(model.path("parameterCount").asLong()).isEqualTo(total);
        assertThat(total).isEqualTo(expectedCount(vocab, 8, 32, 16, 2));
    }

    /** V·C + T·C + L·(12C + 4C² + 2CF + F) + 2C + C·V + V, counted by hand for pre-norm. */
    private static long expectedCount(long v, long c, long f, long t, long layers) {
        long block = 2 * c + 4 * (c * c + c) + 2 * c + c * f + f + f * c + c;
        return v * c + t * c + layers * block + 2 * c + c * v + v;
    }

    private static String sortedDistinct(String text) {
        int[] points = text.codePoints().distinct().sorted().toArray();
        return new String(points, 0, points.length);
    }

    @Test
    void shouldDeriveByteVocabularyAndHonourPostNorm() {
        JsonNode model = Fixtures.create(api, Fixtures.tinyCharModel(
                "tokenizer", Map.of("type", "byte"), "norm", "post", "activation", "relu"));
        assertThat(model.path("config").path("vocabSize").asInt()).isEqualTo(256);
        assertThat(model.path("config").path("norm").asString()).isEqualTo("post");
        List<String> names = new ArrayList<>();
        model.path("parameters").forEach(p -> names.add(p.path("name").asString()));
        assertThat(names).doesNotContain("final_ln.weight");
    }

    @Test
    void shouldStoreConfigAndAlphabetInTheRow() {
        String id = Fixtures.createTiny(api);
        ModelEntity row = modelRows.findById(UUID.fromString(id)).orElseThrow();
        assertThat(row.tokenizer().alphabet()).isEqualTo(sortedDistinct(Fixtures.CORPUS));
        assertThat(row.config().dModel()).isEqualTo(8);
        assertThat(row.optimizer().learningRate()).isEqualTo(0.01);
        assertThat(row.getCreatedAt()).isNotNull();
    }

    @Test
    void shouldListAndShowModels() {
        String id = Fixtures.createTiny(api);
        JsonNode list = api.get("/api/models").ok(200);
        List<String> ids = new ArrayList<>();
        list.forEach(m -> ids.add(m.path("id").asString()));
        assertThat(ids).contains(id);

        JsonNode shown = api.get("/api/models/" + id).ok(200);
        assertThat(shown.path("id").asString()).isEqualTo(id);
        assertThat(shown.path("optimizer").path("type").asString()).isEqualTo("adamw");
    }

    @Test
    void shouldDeleteModelAndItsRows() {
        String id = Fixtures.createTiny(api);
        api.post("/api/models/" + id + "/steps", Map.of("texts", List.of("hello")))
                .ok(200);

        assertThat(api.delete("/api/models/" + id).status()).isEqualTo(204);
        api.get("/api/models/" + id).problem(404, "id");
        api.get("/api/models/" + id + "/steps").problem(404, "id");
        assertThat(registry.isLoaded(UUID.fromString(id))).isFalse();
        api.delete("/api/models/" + id).problem(404, "id");
    }

    @Nested
    class NullMeansLeftOut {

        /** The parts of a model view that come from the request. */
        private JsonNode settingsOf(JsonNode model) {
            return Api.JSON.createObjectNode().setAll(Map.of("config", model.path("config"),
                    "optimizer", model.path("optimizer"), "tokenizer", model.path("tokenizer"),
                    "parameterCount", model.path("parameterCount")));
        }

        @Test
        void shouldGiveEveryOptionalFieldItsDefaultWhenNull() {
            JsonNode nulls = api.post("/api/models", """
                    {"name": null, "vocabSize": null, "dModel": null, "nHeads": null,
                     "nLayers": null, "dFF": null, "maxSeqLen": null, "causal": null,
                     "norm": null, "activation": null, "seed": null, "dataType": null,
                     "optimizer": {"type": null, "learningRate": null, "momentum": null,
                       "beta1": null, "beta2": null, "epsilon": null, "weightDecay": null,
                       "gradClip": null, "schedule": null, "warmupSteps": null,
                       "decaySteps": null, "minLearningRate": null},
                     "tokenizer": {"type": "byte", "corpus": null}}""").ok(201);
            JsonNode absent = api.post("/api/models", "{\"tokenizer\": {\"type\": \"byte\"}}")
                    .ok(201);
            try {
                assertThat(settingsOf(nulls)).isEqualTo(settingsOf(absent));
                JsonNode config = nulls.path("config");
                assertThat(config.path("dModel").asInt()).isEqualTo(64);
                assertThat(config.path("nHeads").asInt()).isEqualTo(4);
                assertThat(config.path("nLayers").asInt()).isEqualTo(2);
                assertThat(config.path("dFF").asInt()).isEqualTo(256);
                assertThat(config.path("maxSeqLen").asInt()).isEqualTo(128);
                assertThat(config.path("causal").asBoolean()).isTrue();
                assertThat(config.path("norm").asString()).isEqualTo("pre");
                assertThat(config.path("activation").asString()).isEqualTo("gelu");
                assertThat(config.path("seed").asLong()).isEqualTo(42);
                assertThat(config.path("dataType").asString()).isEqualTo("float32");
                JsonNode optimizer = nulls.path("optimizer");
                assertThat(optimizer.path("type").asString()).isEqualTo("adamw");
                assertThat(optimizer.path("learningRate").asDouble()).isEqualTo(1e-3);
                assertThat(optimizer.path("weightDecay").asDouble()).isEqualTo(0.01);
                assertThat(optimizer.path("schedule").asString()).isEqualTo("constant");
                assertThat(nulls.path("name").asString())
                        .isEqualTo("model-" + nulls.path("id").asString().substring(0, 8));
            } finally {
                api.delete("/api/models/" + nulls.path("id").asString());
                api.delete("/api/models/" + absent.path("id").asString());
            }
        }

        @Test
        void shouldTreatNullObjectsAsLeftOut() {
            JsonNode nulls = api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": null, \"tokenizer\": null}").ok(201);
            JsonNode absent = api.post("/api/models", "{\"vocabSize\": 10}").ok(201);
            try {
                assertThat(settingsOf(nulls)).isEqualTo(settingsOf(absent));
                assertThat(nulls.path("tokenizer").path("type").asString()).isEqualTo("none");
            } finally {
                api.delete("/api/models/" + nulls.path("id").asString());
                api.delete("/api/models/" + absent.path("id").asString());
            }
        }

        @Test
        void shouldRefuseNullWhereAValueIsRequiredAsIfLeftOut() {
            long rows = modelRows.count();
            api.post("/api/models", "{\"vocabSize\": null}").problem(400, "vocabSize");
            api.post("/api/models", "{\"tokenizer\": {\"type\": null}}")
                    .problem(400, "tokenizer.type");
            api.post("/api/models", "{\"tokenizer\": {\"type\": \"char\", \"corpus\": null}}")
                    .problem(400, "tokenizer.corpus");
            api.post("/api/models", "null").problem(400, "body");
            assertThat(modelRows.count()).isEqualTo(rows);
        }
    }

    @Nested
    class StepCount {

        private long stepCountInList(String id) {
            for (JsonNode model : api.get("/api/models").ok(200)) {
                if (model.path("id").asString().equals(id)) {
                    return model.path("stepCount").asLong(-1);
                }
            }
            throw new AssertionError("model " + id + " is not listed");
        }

        private long stepCountOf(String id) {
            return api.get("/api/models/" + id).ok(200).path("stepCount").asLong(-1);
        }

        private long historySize(String id) {
            return api.get("/api/models/" + id + "/steps").ok(200).path("totalElements")
                    .asLong();
        }

        @Test
        void shouldCountRecordedStepsButNotRejectedOnes() {
            JsonNode created = Fixtures.create(api, Fixtures.tinyCharModel());
            String id = created.path("id").asString();
            try {
                assertThat(created.path("stepCount").asLong(-1)).isZero();
                assertThat(stepCountOf(id)).isZero();
                String steps = "/api/models/" + id + "/steps";
                api.post(steps, Map.of("texts", List.of("hello world"))).ok(200);
                api.post(steps, Map.of("texts", List.of("hello"), "update", false)).ok(200);
                api.post(steps, Map.of("tokens", List.of(List.of(1, 999))))
                        .problem(400, "tokens[0][1]");

                assertThat(stepCountOf(id)).isEqualTo(2);
                assertThat(stepCountInList(id)).isEqualTo(2);
                assertThat(historySize(id)).isEqualTo(2);
            } finally {
                api.delete("/api/models/" + id);
            }
        }

        @Test
        void shouldCountStepsOfAModelThatIsNotLoaded() {
            String id = Fixtures.createTiny(api);
            try {
                String steps = "/api/models/" + id + "/steps";
                api.post(steps, Map.of("texts", List.of("hello world"))).ok(200);
                api.post(steps, Map.of("texts", List.of("hello gradients"))).ok(200);
                registry.remove(UUID.fromString(id)); // as after a restart without checkpoint

                JsonNode model = api.get("/api/models/" + id).ok(200);
                assertThat(model.path("loaded").asBoolean()).isFalse();
                assertThat(model.path("stepCount").asLong(-1)).isEqualTo(2);
                assertThat(stepCountInList(id)).isEqualTo(2);
            } finally {
                api.delete("/api/models/" + id);
            }
        }

        @Test
        void shouldCountRunStepsWithManualOnes() throws InterruptedException {
            String id = Fixtures.createTiny(api);
            try {
                api.post("/api/models/" + id + "/steps", Map.of("texts", List.of("hello")))
                        .ok(200);
                String dataset = api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                (Fixtures.CORPUS + " ").repeat(20), StandardCharsets.UTF_8))
                        .build()).ok(201).path("id").asString();
                long run = api.post("/api/models/" + id + "/runs", Map.of("datasetId", dataset,
                        "steps", 3, "batchSize", 1, "seqLen", 4)).ok(202).path("id").asLong();
                Instant deadline = Instant.now().plusSeconds(60);
                while (!api.get("/api/runs/" + run).ok(200).path("status").asString()
                        .equals("completed")) {
                    assertThat(Instant.now()).as("run %d completes", run).isBefore(deadline);
                    Thread.sleep(50);
                }

                assertThat(stepCountOf(id)).isEqualTo(4);
                assertThat(stepCountInList(id)).isEqualTo(4);
                assertThat(historySize(id)).isEqualTo(4);
            } finally {
                api.delete("/api/models/" + id);
            }
        }
    }

    @Nested
    class BadInput {

        long rowsBefore;
        int liveBefore;

        @BeforeEach
        void count() {
            rowsBefore = modelRows.count();
            liveBefore = registry.size();
        }

        private void rejected(Map<String, Object> body, int status, String field) {
            api.post("/api/models", body).problem(status, field);
            assertThat(modelRows.count()).isEqualTo(rowsBefore);
            assertThat(registry.size()).isEqualTo(liveBefore);
        }

        @Test
        void shouldNameNHeadsWhenDModelDoesNotDivide() {
            rejected(Fixtures.tinyCharModel("dModel", 10, "nHeads", 4), 400, "nHeads");
        }

        @Test
        void shouldRequireVocabSizeWithoutTokenizer() {
            Map<String, Object> body = Fixtures.tinyCharModel();
            body.remove("tokenizer");
            rejected(body, 400, "vocabSize");
        }

        @Test
        void shouldRejectVocabSizeThatContradictsTokenizer() {
            rejected(Fixtures.tinyCharModel("vocabSize", 5), 400, "vocabSize");
        }

        @Test
        void shouldRejectNonPositiveSizes() {
            rejected(Fixtures.tinyCharModel("nLayers", 0), 400, "nLayers");
            rejected(Fixtures.tinyCharModel("maxSeqLen", -3), 400, "maxSeqLen");
        }

        @Test
        void shouldRejectUnknownChoices() {
            rejected(Fixtures.tinyCharModel("norm", "sandwich"), 400, "norm");
            rejected(Fixtures.tinyCharModel("activation", "tanh"), 400, "activation");
            rejected(Fixtures.tinyCharModel("dataType", "float16"), 400, "dataType");
            rejected(Fixtures.tinyCharModel("optimizer", Map.of("type", "lion")), 400,
                    "optimizer.type");
            rejected(Fixtures.tinyCharModel("tokenizer", Map.of("type", "bpe")), 400,
                    "tokenizer.type");
        }

        @Test
        void shouldRejectOptimizerValuesOutOfRange() {
            rejected(Fixtures.tinyCharModel("optimizer", Map.of("learningRate", -1)), 400,
                    "optimizer.learningRate");
            rejected(Fixtures.tinyCharModel("optimizer", Map.of("beta1", 1.0)), 400,
                    "optimizer.beta1");
            rejected(Fixtures.tinyCharModel("optimizer", Map.of("schedule", "warmup_cosine",
                    "warmupSteps", 10, "decaySteps", 5)), 400, "optimizer.decaySteps");
        }

        @Test
        void shouldRejectCharTokenizerWithoutCorpus() {
            rejected(Fixtures.tinyCharModel("tokenizer", Map.of("type", "char")), 400,
                    "tokenizer.corpus");
            rejected(Fixtures.tinyCharModel("tokenizer", Map.of("type", "char", "corpus", "")),
                    400, "tokenizer.corpus");
        }

        @Test
        void shouldRejectModelPastParameterLimit() {
            rejected(Fixtures.tinyCharModel("dModel", 2048, "nHeads", 8, "nLayers", 8), 422,
                    "parameterCount");
        }

        @Test
        void shouldRejectModelWhenRegistryIsFull() {
            int limit = properties.getLimits().getMaxModels();
            properties.getLimits().setMaxModels(registry.size());
            try {
                rejected(Fixtures.tinyCharModel(), 409, "models");
            } finally {
                properties.getLimits().setMaxModels(limit);
            }
        }

        @Test
        void shouldAnswerUnknownModelWith404() {
            UUID unknown = UUID.randomUUID();
            api.get("/api/models/" + unknown).problem(404, "id");
            api.delete("/api/models/" + unknown).problem(404, "id");
        }
    }
}
