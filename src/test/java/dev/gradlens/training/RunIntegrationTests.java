package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.checkpoint.Checkpoint;
import dev.gradlens.checkpoint.CheckpointStore;
import dev.gradlens.checkpoint.SafetensorsReader;
import dev.gradlens.checkpoint.StoredCheckpoint;
import dev.gradlens.text.CharTokenizer;
import dev.gradlens.text.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A background run end to end: started, followed through its events, read back (steps, gradient
 * norms, evaluations), checkpointed, exported and sampled.
 */
@IntegrationTest
class RunIntegrationTests {

    /** A corpus over the alphabet of {@link Fixtures#CORPUS}, long enough for both parts. */
    static final String TEXT = (Fixtures.CORPUS + " ").repeat(40);

    @LocalServerPort
    int port;

    @Autowired
    CheckpointStore checkpoints;

    Api api;
    String modelId;
    String datasetId;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        modelId = Fixtures.createTiny(api);
        datasetId = RunFixtures.upload(api, TEXT);
    }

    @Test
    void shouldPointTheLocationOfAnUploadAtTheDatasetWithoutTheQuery() {
        Api.Response response = api.send(java.net.http.HttpRequest.newBuilder(
                        api.uri("/api/datasets?name=sonnets"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TEXT)).build());

        String id = response.ok(201).path("id").asString();
        assertThat(response.header("Location")).endsWith("/api/datasets/" + id);
    }

    @Test
    void shouldTrainInBackgroundAndStreamEveryStepToCompletion() {
        // a run on another model holds the only run thread, so this one waits, queued
        String blockerModel = Fixtures.createTiny(api);
        long blocker = api.post("/api/models/" + blockerModel + "/runs", Map.of("datasetId",
                datasetId, "steps", 100_000, "batchSize", 1, "seqLen", 4)).ok(202).path("id")
                .asLong();
        Api.Response started = api.post("/api/models/" + modelId + "/runs", Map.of(
                "datasetId", datasetId, "steps", 20, "batchSize", 4, "seqLen", 8,
                "evalInterval", 5, "evalBatches", 2, "checkpointInterval", 10, "seed", 7));
        JsonNode run = started.ok(202);
        long runId = run.path("id").asLong();
        assertThat(started.header("Location")).endsWith("/api/runs/" + runId);
        assertThat(run.path("status").asString()).isEqualTo("queued");

        RunEventsClient.Subscription stream =
                RunEventsClient.subscribe(api, "/api/runs/" + runId + "/events");
        api.post("/api/runs/" + blocker + "/cancel", "").ok(202);
        List<RunEventsClient.Event> events = stream.readToEnd(Duration.ofSeconds(60));

        assertThat(events.get(0).name()).isEqualTo("state");
        assertThat(events.get(0).data().path("status").asString()).isEqualTo("queued");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("completed");
        assertThat(named(events, "step")).extracting(s -> s.path("runStep").asInt())
                .containsExactly(java.util.stream.IntStream.rangeClosed(1, 20).boxed()
                        .toArray(Integer[]::new));
        List<JsonNode> evals = named(events, "eval");
        assertThat(evals).extracting(e -> e.path("runStep").asInt())
                .containsExactly(5, 10, 15, 20);
        assertThat(named(events, "checkpoint")).extracting(c -> c.path("runStep").asInt())
                .containsExactly(10, 20);

        JsonNode done = api.get("/api/runs/" + runId).ok(200);
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(done.path("currentStep").asInt()).isEqualTo(20);
        assertThat(done.path("lastValLoss").asDouble())
                .isEqualTo(evals.get(evals.size() - 1).path("valLoss").asDouble());
        assertHistory(runId);
        assertValidationLossMatchesCheckpoint(done);
        assertSameSampleForSameSeed();
    }

    private void assertSameSampleForSameSeed() {
        Map<String, Object> body = Map.of("prompt", "hello", "maxNewTokens", 40,
                "temperature", 0.8, "seed", 5);
        JsonNode first = api.post("/api/models/" + modelId + "/generate", body).ok(200);
        JsonNode again = api.post("/api/models/" + modelId + "/generate", body).ok(200);
        assertThat(first.path("optimizerStep").asLong()).isEqualTo(20);
        assertThat(first.path("text").asString()).hasSize(40)
                .isEqualTo(again.path("text").asString());
    }

    private void assertHistory(long runId) {
        JsonNode page = api.get("/api/runs/" + runId + "/steps?size=5&page=1").ok(200);
        assertThat(page.path("totalElements").asInt()).isEqualTo(20);
        assertThat(page.path("content").get(0).path("stepNumber").asInt()).isEqualTo(6);
        assertThat(page.path("content").get(0).path("runId").asLong()).isEqualTo(runId);
        JsonNode all = api.get("/api/runs/" + runId + "/steps?size=50").ok(200);

        JsonNode norms = api.get("/api/runs/" + runId + "/gradient-norms?fromStep=3&toStep=12")
                .ok(200);
        assertThat(norms.path("stepNumbers")).hasSize(10);
        JsonNode head = norms.path("parameters").path("lm_head.weight");
        assertThat(head).hasSize(10);
        // step 3 is the third row of the history
        double expected = all.path("content").get(2).path("gradNorms").path("lm_head.weight")
                .asDouble();
        assertThat(head.get(0).asDouble()).isEqualTo(expected);

        JsonNode evaluations = api.get("/api/runs/" + runId + "/evaluations").ok(200);
        assertThat(evaluations).hasSize(4);
        JsonNode ofModel = api.get("/api/models/" + modelId + "/runs").ok(200);
        assertThat(ofModel.get(ofModel.size() - 1).path("id").asLong()).isEqualTo(runId);
    }

    /** Recomputes the last validation loss from the final checkpoint file, with the engine. */
    private void assertValidationLossMatchesCheckpoint(JsonNode run) {
        try {
            StoredCheckpoint stored = checkpoints.loadLatest(modelId).latest().orElseThrow();
            assertThat(stored.checkpoint().step()).isEqualTo(20);
            Checkpoint.Restored restored = stored.checkpoint().restore();
            Corpus corpus = Corpus.of(TEXT, CharTokenizer.fromAlphabet(
                    stored.checkpoint().tokenizer().alphabet()));
            double valLoss = restored.trainer().evaluate(
                    corpus.sampler(Corpus.Split.VALIDATION, 4, 8, 7 + 1).next(2));
            assertThat(run.path("lastValLoss").asDouble()).isEqualTo(valLoss);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldSampleTheSameTextForTheSameSeed() {
        Map<String, Object> body = Map.of("prompt", "hello", "maxNewTokens", 30,
                "temperature", 0.9, "topK", 5, "seed", 11);
        JsonNode first = api.post("/api/models/" + modelId + "/generate", body).ok(200);
        JsonNode again = api.post("/api/models/" + modelId + "/generate", body).ok(200);
        assertThat(again.path("text").asString()).isEqualTo(first.path("text").asString());
        assertThat(first.path("text").asString()).hasSize(30);
        assertThat(first.path("text").asString().chars())
                .allMatch(c -> Fixtures.CORPUS.indexOf(c) >= 0);
        JsonNode other = api.post("/api/models/" + modelId + "/generate", Map.of("prompt",
                "hello", "maxNewTokens", 30, "temperature", 0.9, "topK", 5, "seed", 12)).ok(200);
        assertThat(other.path("text").asString()).isNotEqualTo(first.path("text").asString());
    }

    @Test
    void shouldCheckpointOnDemandAndExportSafetensors(@TempDir Path dir) throws Exception {
        api.post("/api/models/" + modelId + "/steps", Map.of("texts", List.of("hello world")))
                .ok(200);
        JsonNode saved = api.post("/api/models/" + modelId + "/checkpoints", "").ok(201);
        assertThat(saved.path("step").asLong()).isEqualTo(1);
        assertThat(Path.of(saved.path("file").asString())).exists();
        JsonNode listed = api.get("/api/models/" + modelId + "/checkpoints").ok(200);
        assertThat(listed).extracting(c -> c.path("step").asLong()).containsExactly(1L, 0L);

        Api.Response export = api.get("/api/models/" + modelId + "/export?format=safetensors");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).isEqualTo("application/octet-stream");
        assertThat(export.header("Content-Disposition")).contains("attachment")
                .contains(".safetensors");
        Path file = Files.write(dir.resolve("model.safetensors"), export.body());
        var tensors = SafetensorsReader.read(file).tensorInfos().keySet();
        JsonNode model = api.get("/api/models/" + modelId).ok(200);
        List<String> names = StreamSupport.stream(model.path("parameters").spliterator(), false)
                .map(p -> p.path("name").asString()).toList();
        assertThat(tensors).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void shouldUploadMultipartFilesAndDescribeThem() {
        JsonNode dataset = RunFixtures.uploadMultipart(api, "corpus.txt", "abcab\u00e9");
        assertThat(dataset.path("name").asString()).isEqualTo("corpus.txt");
        assertThat(dataset.path("bytes").asLong()).isEqualTo(7);
        assertThat(dataset.path("characters").asLong()).isEqualTo(6);
        assertThat(dataset.path("vocabSize").asInt()).isEqualTo(4);
        assertThat(dataset.path("alphabet").asString()).isEqualTo("abc\u00e9");
        String id = dataset.path("id").asString();
        assertThat(api.get("/api/datasets/" + id).ok(200).path("sha256").asString())
                .isEqualTo(dataset.path("sha256").asString());
        assertThat(api.get("/api/datasets").ok(200).toString()).contains(id);
    }

    private static List<JsonNode> named(List<RunEventsClient.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name))
                .map(RunEventsClient.Event::data).toList();
    }
}
