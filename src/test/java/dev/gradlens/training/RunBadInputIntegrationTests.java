package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelService;
import dev.gradlens.system.GradlensProperties;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Refused run, dataset, generation and export requests: 4xx problem+json naming the field. */
@IntegrationTest
class RunBadInputIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    GradlensProperties properties;

    @Autowired
    ModelService models;

    @Autowired
    JdbcTemplate jdbc;

    Api api;
    String modelId;
    String datasetId;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        modelId = Fixtures.createTiny(api);
        datasetId = RunFixtures.upload(api, RunIntegrationTests.TEXT);
    }

    private Api.Response start(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("datasetId", datasetId,
                "steps", 5, "batchSize", 2, "seqLen", 8));
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return api.post("/api/models/" + modelId + "/runs", body);
    }

    @Test
    void shouldRefuseUnknownDatasetWith404() {
        start("datasetId", UUID.randomUUID().toString()).problem(404, "datasetId");
        start("datasetId", "not-a-uuid").problem(400, "datasetId");
    }

    @Test
    void shouldRefuseSeqLenAboveMaxSeqLen() {
        JsonNode problem = start("seqLen", 17).problem(400, "seqLen");
        assertThat(problem.path("reason").asString()).contains("16");
    }

    @Test
    void shouldRefuseBadRunFields() {
        start("steps", 0).problem(400, "steps");
        start("batchSize", -1).problem(400, "batchSize");
        start("evalBatches", 0).problem(400, "evalBatches");
        start("batchSize", 4096, "seqLen", 16).problem(413, "batchSize");
        start("schedule", Map.of("type", "linear")).problem(400, "schedule.type");
        start("schedule", Map.of("learningRate", -1)).problem(400, "schedule.learningRate");
        start("unknownField", 1).problem(400, "unknownField");
        api.post("/api/models/" + UUID.randomUUID() + "/runs", Map.of("datasetId", datasetId,
                "steps", 5)).problem(404, "id");
    }

    @Test
    void shouldRefuseDatasetWithCharactersOutsideTheAlphabet() {
        String other = RunFixtures.upload(api, RunIntegrationTests.TEXT + "xyz");
        JsonNode problem = start("datasetId", other).problem(400, "datasetId");
        assertThat(problem.path("reason").asString()).contains("'x'");
        String bytes = Fixtures.create(api, Fixtures.tinyCharModel("tokenizer",
                Map.of("type", "byte"))).path("id").asString();
        api.post("/api/models/" + bytes + "/runs", Map.of("datasetId", other, "steps", 1,
                "batchSize", 1, "seqLen", 8)).ok(202);
    }

    @Test
    void shouldRefuseUploadsPastTheLimitWith413() {
        long before = properties.getLimits().getMaxDatasetBytes();
        properties.getLimits().setMaxDatasetBytes(100);
        try {
            String text = "a".repeat(101);
            Api.Response response = api.send(HttpRequest.newBuilder(
                    api.uri("/api/datasets")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build());
            response.problem(413, "body");
        } finally {
            properties.getLimits().setMaxDatasetBytes(before);
        }
    }

    @Test
    void shouldNameTheDatasetLimitWhenAPlainTextUploadPassesIt() {
        long before = properties.getLimits().getMaxDatasetBytes();
        long requestBefore = properties.getLimits().getMaxRequestBytes();
        properties.getLimits().setMaxDatasetBytes(100);
        properties.getLimits().setMaxRequestBytes(1000);
        try {
            // the filter lets an upload carry 100 bytes + 64 KiB; this one has 70,000
            Api.Response response = api.send(HttpRequest.newBuilder(
                    api.uri("/api/datasets")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("a".repeat(70_000))).build());
            JsonNode problem = response.problem(413, "body");
            assertThat(problem.path("reason").asString()).contains("65636 bytes")
                    .contains("max-dataset-bytes").doesNotContain("max-request-bytes");
        } finally {
            properties.getLimits().setMaxDatasetBytes(before);
            properties.getLimits().setMaxRequestBytes(requestBefore);
        }
    }

    @Test
    void shouldRefuseEmptyAndNonUtf8Uploads() {
        api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody()).build())
                .problem(400, "body");
        api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        new byte[] {'a', (byte) 0xC3})).build())
                .problem(400, "body");
        api.get("/api/datasets/" + UUID.randomUUID()).problem(404, "id");
        api.send(HttpRequest.newBuilder(api.uri("/api/datasets?name=a%01b"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("text")).build())
                .problem(400, "name");
    }

    @Test
    void shouldDropALeadingByteOrderMarkFromUploads() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        JsonNode problem = uploadBytes(bom).problem(400, "body");
        assertThat(problem.path("reason").asString())
                .isEqualTo("is empty: a byte-order mark and no text");

        JsonNode dataset = uploadBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF,
            'b', 'a', 'b'}).ok(201);
        assertThat(dataset.path("alphabet").asString()).isEqualTo("ab");
        assertThat(dataset.path("characters").asLong()).isEqualTo(3);
        assertThat(dataset.path("bytes").asLong()).isEqualTo(3);

        // only one mark, and only at the start: a second one is text
        JsonNode twice = uploadBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF,
            (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'}).ok(201);
        assertThat(twice.path("alphabet").asString()).isEqualTo("a\ufeff");
    }

    private Api.Response uploadBytes(byte[] body) {
        return api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void shouldRefuseASecondRunAndManualStepsWhileTrainingAndCancel() {
        long runId = start("steps", 100_000).ok(202).path("id").asLong();
        start().problem(409, "id");
        api.post("/api/models/" + modelId + "/steps", Map.of("texts", List.of("hello")))
                .problem(409, "id");
        RunFixtures.await(api, runId, r -> r.path("currentStep").asInt() > 0,
                Duration.ofSeconds(30));

        String otherModel = Fixtures.createTiny(api);
        long queued = api.post("/api/models/" + otherModel + "/runs", Map.of("datasetId",
                datasetId, "steps", 5, "batchSize", 2, "seqLen", 8)).ok(202).path("id")
                .asLong();
        assertThat(api.get("/api/runs/" + queued).ok(200).path("status").asString())
                .isEqualTo("queued");
        assertThat(api.post("/api/runs/" + queued + "/cancel", "").ok(202).path("status")
                .asString()).isEqualTo("cancelled");
        assertThat(api.get("/api/runs/" + queued).ok(200).path("currentStep").asInt()).isZero();

        assertThat(api.post("/api/runs/" + runId + "/cancel", "").status()).isEqualTo(202);
        JsonNode ended = RunFixtures.await(api, runId,
                r -> !r.path("status").asString().matches("queued|running"),
                Duration.ofSeconds(30));
        assertThat(ended.path("status").asString()).isEqualTo("cancelled");
        assertThat(ended.path("currentStep").asInt()).isLessThan(100_000);
        api.post("/api/runs/" + runId + "/cancel", "").problem(409, "id");
        // the model is free again
        start("steps", 1).ok(202);
    }

    @Test
    void shouldAnswer404ForUnknownRuns() {
        api.get("/api/runs/987654321").problem(404, "id");
        api.post("/api/runs/987654321/cancel", "").problem(404, "id");
        api.get("/api/runs/987654321/steps").problem(404, "id");
        api.get("/api/runs/987654321/gradient-norms").problem(404, "id");
        api.get("/api/runs/987654321/events", "text/event-stream").problem(404, "id");
        api.get("/api/runs/987654321/evaluations").problem(404, "id");
        api.get("/api/runs/abc").problem(400, "id");
    }

    @Test
    void shouldRefuseAGradientNormRangeOfMoreThan100000Steps() {
        JsonNode step = api.post("/api/models/" + modelId + "/steps",
                Map.of("texts", List.of("hello world"))).ok(200);
        long runId = step.path("runId").asLong();
        jdbc.update("INSERT INTO training_steps (run_id, model_id, step_number, optimizer_step, "
                + "loss, grad_norm, learning_rate, tokens, duration_ms, applied, finite, "
                + "created_at, grad_norms) SELECT ?, ?, X + 1, X + 1, 1.0, 1.0, 0.001, 8, 1, "
                + "TRUE, TRUE, CURRENT_TIMESTAMP, '{}' FROM SYSTEM_RANGE(1, 100000)", runId,
                UUID.fromString(modelId));
        try {
            JsonNode problem = api.get("/api/runs/" + runId + "/gradient-norms")
                    .problem(400, "toStep");
            assertThat(problem.path("reason").asString()).contains("100001 steps");
            assertThat(api.get("/api/runs/" + runId + "/gradient-norms?toStep=100000").ok(200)
                    .path("stepNumbers").size()).isEqualTo(100_000);
        } finally {
            api.delete("/api/models/" + modelId).ok(204);
        }
    }

    @Test
    void shouldRefuseBadGenerationValues() {
        String path = "/api/models/" + modelId + "/generate";
        api.post(path, Map.of("prompt", "hello", "temperature", -1)).problem(400, "temperature");
        api.post(path, Map.of("prompt", "hello", "maxNewTokens", -1))
                .problem(400, "maxNewTokens");
        api.post(path, Map.of("prompt", "hello", "maxNewTokens", 1_000_000))
                .problem(400, "maxNewTokens");
        api.post(path, Map.of("prompt", "hello", "topK", -2)).problem(400, "topK");
        api.post(path, Map.of("prompt", "")).problem(400, "prompt");
        JsonNode problem = api.post(path, Map.of("prompt", "hello Z")).problem(400, "prompt");
        assertThat(problem.path("reason").asString()).contains("'Z'");
        api.post(path, "{\"prompt\": \"hello\", \"temperature\": NaN}").problem(400,
                "temperature");
    }

    @Test
    void shouldAnswer409WhenTheModelsLogitsAreNotFinite() {
        // weights diverged as a huge learning rate leaves them: here lm_head.bias[0] is NaN,
        // so every logit of token 0 is NaN whatever the prompt
        LiveModel live = models.requireLive(UUID.fromString(modelId));
        live.locked(() -> live.transformer().parameter("lm_head.bias").value()
                .putScalar(0, Double.NaN));
        String path = "/api/models/" + modelId + "/generate";
        JsonNode problem = api.post(path, Map.of("prompt", "hello")).problem(409, "id");
        assertThat(problem.path("reason").asString())
                .contains("logits are not finite (NaN for token 0)", "diverged");
        api.post(path, Map.of("prompt", "hello", "temperature", 0)).problem(409, "id");
    }

    @Test
    void shouldRefuseUnknownExportFormats() {
        api.get("/api/models/" + modelId + "/export?format=onnx").problem(400, "format");
        api.get("/api/models/" + UUID.randomUUID() + "/export").problem(404, "id");
        api.post("/api/models/" + UUID.randomUUID() + "/checkpoints", "").problem(404, "id");
    }
}
