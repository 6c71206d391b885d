package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.system.GradlensProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class StepIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    GradlensProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    Api api;
    String id;
    int vocab;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        JsonNode model = Fixtures.create(api, Fixtures.tinyCharModel());
        id = model.path("id").asString();
        vocab = model.path("config").path("vocabSize").asInt();
    }

    private Api.Response step(Object body) {
        return api.post("/api/models/" + id + "/steps", body);
    }

    private String tensor(String kind, String name) {
        return api.get("/api/models/" + id + "/" + kind + "/" + name).ok(200)
                .path("values").toString();
    }

    @Test
    void shouldReportLossNearLnVForUntrainedModel() {
        JsonNode result = step(Map.of("tokens", List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7))))
                .ok(200);
        assertThat(result.path("loss").asDouble()).isCloseTo(Math.log(vocab), within(0.05));
        assertThat(result.path("stepNumber").asLong()).isEqualTo(1);
        assertThat(result.path("optimizerStep").asLong()).isEqualTo(1);
        assertThat(result.path("tokens").asLong()).isEqualTo(7);
        assertThat(result.path("applied").asBoolean()).isTrue();
        assertThat(result.path("learningRate").asDouble()).isEqualTo(0.01);
        assertThat(result.path("gradNorm").asDouble()).isPositive();
        assertThat(result.path("durationMs").asLong()).isNotNegative();
        assertThat(result.path("tokensPerSecond").asDouble()).isPositive();
        assertThat(result.path("gradNorms").has("blocks.0.attention.q.weight")).isTrue();
    }

    @Test
    void shouldLowerLossWhenTrainingOnTexts() {
        Map<String, Object> batch = Map.of("texts", List.of("hello world", "hello gradients"));
        double first = step(batch).ok(200).path("loss").asDouble();
        double last = first;
        for (int i = 0; i < 25; i++) {
            last = step(batch).ok(200).path("loss").asDouble();
        }
        assertThat(last).isLessThan(first * 0.8);
    }

    @Test
    void shouldComputeGradientsWithoutUpdatingWhenUpdateIsFalse() {
        String weightsBefore = tensor("parameters", "blocks.0.attention.q.weight");
        JsonNode result = step(Map.of("texts", List.of("hello world"), "update", false)).ok(200);

        assertThat(result.path("applied").asBoolean()).isFalse();
        assertThat(result.path("optimizerStep").asLong()).isZero();
        assertThat(result.path("stepNumber").asLong()).isEqualTo(1);
        assertThat(tensor("parameters", "blocks.0.attention.q.weight")).isEqualTo(weightsBefore);
        JsonNode stats = api.get("/api/models/" + id + "/gradients").ok(200);
        assertThat(stats.path("parameters").get(0).path("l2Norm").asDouble()).isPositive();
    }

    @Test
    void shouldUpdateWeightsByDefault() {
        String weightsBefore = tensor("parameters", "lm_head.weight");
        step(Map.of("texts", List.of("hello world"))).ok(200);
        assertThat(tensor("parameters", "lm_head.weight")).isNotEqualTo(weightsBefore);
    }

    @Test
    void shouldCountOnlyTargetsThatAreNotIgnored() {
        JsonNode result = step(Map.of("tokens", List.of(List.of(1, 2, 3), List.of(4, 5)),
                "targets", List.of(List.of(2, -1, 4), List.of(-1, 6)))).ok(200);
        assertThat(result.path("tokens").asLong()).isEqualTo(3);
    }

    @Test
    void shouldPageHistoryInStepOrder() {
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            losses.add(step(Map.of("texts", List.of("hello"))).ok(200).path("loss").asDouble());
        }
        JsonNode first = api.get("/api/models/" + id + "/steps?page=0&size=2").ok(200);
        JsonNode second = api.get("/api/models/" + id + "/steps?page=1&size=2&sort=loss,desc")
                .ok(200);

        assertThat(first.path("totalElements").asLong()).isEqualTo(3);
        assertThat(first.path("totalPages").asInt()).isEqualTo(2);
        assertThat(first.path("content").get(0).path("stepNumber").asLong()).isEqualTo(1);
        assertThat(first.path("content").get(1).path("stepNumber").asLong()).isEqualTo(2);
        assertThat(second.path("content").get(0).path("stepNumber").asLong()).isEqualTo(3);
        assertThat(first.path("content").get(1).path("loss").asDouble())
                .isEqualTo(losses.get(1));
        assertThat(first.path("content").get(0).path("gradNorms").size())
                .isEqualTo(api.get("/api/models/" + id).ok(200).path("parameters").size());
    }

    @Test
    void shouldReadBackTheStepAsItWasAnswered() {
        JsonNode answered = step(Map.of("texts", List.of("hello world"))).ok(200);

        JsonNode stored = api.get("/api/models/" + id + "/steps").ok(200).path("content").get(0);

        for (String field : List.of("stepNumber", "loss", "gradNorm", "learningRate", "tokens",
                "durationMs", "tokensPerSecond", "createdAt", "gradNorms")) {
            assertThat(stored.path(field)).as(field).isEqualTo(answered.path(field));
        }
    }

    @Test
    void shouldSerializeStepsOnOneModel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> step(Map.of("texts", List.of("hello world")))
                        .ok(200)));
            }
            List<Long> numbers = new ArrayList<>();
            for (Future<JsonNode> f : futures) {
                numbers.add(f.get().path("stepNumber").asLong());
            }
            assertThat(numbers).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        } finally {
            pool.shutdownNow();
        }
        JsonNode history = api.get("/api/models/" + id + "/steps?size=20").ok(200);
        assertThat(history.path("totalElements").asLong()).isEqualTo(8);
        assertThat(history.path("content").get(7).path("optimizerStep").asLong()).isEqualTo(8);
    }

    @Test
    void shouldTrainDifferentModelsAtTheSameTime() throws Exception {
        String other = Fixtures.createTiny(api);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<JsonNode> a = pool.submit(() -> step(Map.of("texts", List.of("hello")))
                    .ok(200));
            Future<JsonNode> b = pool.submit(() -> api.post("/api/models/" + other + "/steps",
                    Map.of("texts", List.of("world"))).ok(200));
            assertThat(a.get().path("stepNumber").asLong()).isEqualTo(1);
            assertThat(b.get().path("stepNumber").asLong()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRestoreModelWhenTheStepCannotBeStored() {
        String twin = Fixtures.createTiny(api);
        Map<String, Object> batch = Map.of("texts", List.of("hello world"));
        step(batch).ok(200);
        api.post("/api/models/" + twin + "/steps", batch).ok(200);
        String weights = tensor("parameters", "lm_head.weight");
        String grads = tensor("gradients", "lm_head.weight");

        jdbc.execute("ALTER TABLE training_steps RENAME TO training_steps_away");
        try {
            Api.Response failed = step(Map.of("texts", List.of("gradients")));
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.contentType()).startsWith("application/problem+json");
        } finally {
            jdbc.execute("ALTER TABLE training_steps_away RENAME TO training_steps");
        }
        assertThat(tensor("parameters", "lm_head.weight")).isEqualTo(weights);
        // the gradients are not restored: they are those of the failed step, computed before
        // the write, whose update was never applied
        assertThat(tensor("gradients", "lm_head.weight")).isNotEqualTo(grads);
        assertThat(api.get("/api/models/" + id + "/steps").ok(200).path("totalElements")
                .asLong()).isEqualTo(1);

        // weights, moments and step counter are back: the next step matches the twin's exactly
        JsonNode next = step(batch).ok(200);
        JsonNode twinNext = api.post("/api/models/" + twin + "/steps", batch).ok(200);
        assertThat(next.path("stepNumber").asLong()).isEqualTo(2);
        assertThat(next.path("optimizerStep").asLong()).isEqualTo(2);
        assertThat(next.path("loss").asDouble()).isEqualTo(twinNext.path("loss").asDouble());
        assertThat(tensor("parameters", "lm_head.weight")).isEqualTo(api.get("/api/models/"
                + twin + "/parameters/lm_head.weight").ok(200).path("values").toString());
    }

    @Nested
    class BadInput {

        long historyBefore;
        String weightsBefore;
        String gradsBefore;

        @BeforeEach
        void remember() {
            step(Map.of("texts", List.of("hello"))).ok(200);
            historyBefore = historySize();
            weightsBefore = tensor("parameters", "blocks.1.ffn.fc1.weight");
            gradsBefore = tensor("gradients", "blocks.1.ffn.fc1.weight");
        }

        private long historySize() {
            return api.get("/api/models/" + id + "/steps").ok(200).path("totalElements")
                    .asLong();
        }

        private void rejected(Object body, int status, String field) {
            Api.Response response = body instanceof String text
                    ? api.post("/api/models/" + id + "/steps", text) : step(body);
            response.problem(status, field);
            assertThat(historySize()).isEqualTo(historyBefore);
            assertThat(tensor("parameters", "blocks.1.ffn.fc1.weight")).isEqualTo(weightsBefore);
            assertThat(tensor("gradients", "blocks.1.ffn.fc1.weight")).isEqualTo(gradsBefore);
        }

        @Test
        void shouldAnswerUnknownModelWith404() {
            api.post("/api/models/" + java.util.UUID.randomUUID() + "/steps",
                    Map.of("tokens", List.of(List.of(1, 2)))).problem(404, "id");
        }

        @Test
        void shouldNameTokenOutsideVocabulary() {
            rejected(Map.of("tokens", List.of(List.of(1, 2), List.of(3, vocab))), 400,
                    "tokens[1][1]");
            rejected(Map.of("tokens", List.of(List.of(-1, 2))), 400, "tokens[0][0]");
        }

        @Test
        void shouldNameSequenceLongerThanMaxSeqLen() {
            List<Integer> inputs17 = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                inputs17.add(i % vocab);
            }
            rejected(Map.of("tokens", List.of(List.of(1, 2), inputs17),
                    "targets", List.of(List.of(2, 3), inputs17)), 400, "tokens[1]");
            List<Integer> sequence18 = new ArrayList<>(inputs17);
            sequence18.add(1);
            rejected(Map.of("tokens", List.of(sequence18)), 400, "tokens[0]");
            rejected(Map.of("texts", List.of("hello world, hello grad")), 400, "texts[0]");
        }

        @Test
        void shouldRejectEmptyBatchAndEmptySequences() {
            rejected(Map.of("tokens", List.of()), 400, "tokens");
            rejected(Map.of("texts", List.of()), 400, "texts");
            rejected(Map.of("tokens", List.of(List.of(1, 2), List.of())), 400, "tokens[1]");
            rejected(Map.of("texts", List.of("")), 400, "texts[0]");
            rejected(Map.of("tokens", List.of(List.of(3))), 400, "tokens[0]");
        }

        @Test
        void shouldRejectTargetsThatDoNotMatchInputs() {
            rejected(Map.of("tokens", List.of(List.of(1, 2)),
                    "targets", List.of(List.of(2, 3), List.of(1, 1))), 400, "targets");
            rejected(Map.of("tokens", List.of(List.of(1, 2)), "targets", List.of(List.of(2))),
                    400, "targets[0]");
            rejected(Map.of("tokens", List.of(List.of(1, 2)),
                    "targets", List.of(List.of(2, vocab))), 400, "targets[0][1]");
            rejected(Map.of("tokens", List.of(List.of(1, 2)),
                    "targets", List.of(List.of(-1, -1))), 400, "targets");
        }

        @Test
        void shouldRequireExactlyOneOfTokensAndTexts() {
            rejected(Map.of("tokens", List.of(List.of(1, 2)), "texts", List.of("hi")), 400,
                    "texts");
            rejected(Map.of("update", true), 400, "tokens");
        }

        @Test
        void shouldNameTextWithCharacterOutsideAlphabet() {
            rejected(Map.of("texts", List.of("hello", "hello?")), 400, "texts[1]");
        }

        @Test
        void shouldRejectTextsForModelWithoutTokenizer() {
            Map<String, Object> body = Fixtures.tinyCharModel("vocabSize", 20);
            body.remove("tokenizer");
            String plain = Fixtures.create(api, body).path("id").asString();
            api.post("/api/models/" + plain + "/steps", Map.of("texts", List.of("hello")))
                    .problem(400, "texts");
        }

        @Test
        void shouldRejectNullsWrongTypesAndUnknownFields() {
            rejected("{\"tokens\": [[1, null, 2]]}", 400, "tokens[0][1]");
            rejected("{\"tokens\": [[\"1\", 2]]}", 400, "tokens[0][0]");
            rejected("{\"tokens\": [[1.5, 2]]}", 400, "tokens[0][0]");
            rejected("{\"tokens\": [[1, 2]], \"update\": \"no\"}", 400, "update");
            rejected("{\"tokens\": [[1, 2]], \"batch\": 4}", 400, "batch");
            rejected("{\"tokens\": [[1, NaN]]}", 400, "tokens[0][1]");
        }

        @Test
        void shouldRejectRequestPastTokenLimit() {
            int limit = properties.getLimits().getMaxTokensPerRequest();
            properties.getLimits().setMaxTokensPerRequest(5);
            try {
                rejected(Map.of("tokens", List.of(List.of(1, 2, 3), List.of(1, 2, 3))), 413,
                        "tokens");
                rejected(Map.of("texts", List.of("hel", "lo w")), 413, "texts");
            } finally {
                properties.getLimits().setMaxTokensPerRequest(limit);
            }
        }
    }
}
