package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.GradlensApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Stops the whole application and starts it again on the same H2 file database and checkpoint
 * directory: models come back loaded from their newest readable checkpoint with their history,
 * a truncated newest checkpoint is reported and the one before it used, and runs that were
 * active at shutdown (or left running by a crash) show as interrupted.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartIntegrationTests {

    static final Map<String, Object> FIXED_BATCH =
            Map.of("texts", List.of("hello world, he", "gradients hello"), "update", false);

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GradlensApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()
                        + ";DB_CLOSE_ON_EXIT=FALSE",
                "--gradlens.storage.checkpoint-dir=" + dir.resolve("checkpoints"),
                "--gradlens.storage.dataset-dir=" + dir.resolve("datasets"));
    }

    private static Api apiOf(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(
                context.getEnvironment().getProperty("local.server.port")));
    }

    private static double fixedLoss(Api api, String model) {
        return api.post("/api/models/" + model + "/steps", FIXED_BATCH).ok(200).path("loss")
                .asDouble();
    }

    @Test
    void shouldRestoreModelsRunsAndStepsAfterARestart(CapturedOutput output) throws IOException {
        String trained;
        String corrupted;
        String interrupted;
        long completedRun;
        long interruptedRun;
        double trainedLoss;
        double corruptedLossAtStep0;
        long stepsBefore;
        long leftoverRun;
        try (ConfigurableApplicationContext first = start()) {
            Api api = apiOf(first);
            String dataset = RunFixtures.upload(api, RunIntegrationTests.TEXT);
            trained = Fixtures.createTiny(api);
            completedRun = api.post("/api/models/" + trained + "/runs", Map.of("datasetId",
                    dataset, "steps", 12, "batchSize", 4, "seqLen", 8, "evalInterval", 4,
                    "evalBatches", 2, "checkpointInterval", 5)).ok(202).path("id").asLong();
            RunEventsClient.readToEnd(api, "/api/runs/" + completedRun + "/events",
                    Duration.ofSeconds(60));
            trainedLoss = fixedLoss(api, trained);
            stepsBefore = api.get("/api/models/" + trained + "/steps").ok(200)
                    .path("totalElements").asLong();

            corrupted = Fixtures.createTiny(api);
            corruptedLossAtStep0 = fixedLoss(api, corrupted);
            api.post("/api/models/" + corrupted + "/steps", Map.of("texts",
                    List.of("hello world"))).ok(200);
            assertThat(fixedLoss(api, corrupted)).isNotEqualTo(corruptedLossAtStep0);
            api.post("/api/models/" + corrupted + "/checkpoints", "").ok(201);

            interrupted = Fixtures.createTiny(api);
            interruptedRun = api.post("/api/models/" + interrupted + "/runs", Map.of(
                    "datasetId", dataset, "steps", 1_000_000, "batchSize", 2, "seqLen", 8))
                    .ok(202).path("id").asLong();
            RunFixtures.await(api, interruptedRun, r -> r.path("currentStep").asInt() >= 3,
                    Duration.ofSeconds(30));
            leftoverRun = first.getBean(TrainingRunRepository.class).save(
                    crashedRun(UUID.fromString(trained))).getId();
        }

        truncateNewest(dir.resolve("checkpoints").resolve(corrupted));

        try (ConfigurableApplicationContext second = start()) {
            Api api = apiOf(second);
            JsonNode models = api.get("/api/models").ok(200);
            assertThat(models).hasSize(3);
            assertThat(models).allMatch(m -> m.path("loaded").asBoolean());

            assertThat(fixedLoss(api, trained)).isEqualTo(trainedLoss);
            assertThat(api.get("/api/models/" + trained + "/steps").ok(200)
                    .path("totalElements").asLong()).isEqualTo(stepsBefore + 1);
            JsonNode run = api.get("/api/runs/" + completedRun).ok(200);
            assertThat(run.path("status").asString()).isEqualTo("completed");
            assertThat(run.path("currentStep").asInt()).isEqualTo(12);
            assertThat(api.get("/api/runs/" + completedRun + "/evaluations").ok(200)).hasSize(3);

            assertThat(fixedLoss(api, corrupted)).isEqualTo(corruptedLossAtStep0);
            assertThat(output.getAll()).contains("Model " + corrupted + ": checkpoint")
                    .contains("is unusable");

            JsonNode stopped = api.get("/api/runs/" + interruptedRun).ok(200);
            assertThat(stopped.path("status").asString()).isEqualTo("interrupted");
            assertThat(stopped.path("currentStep").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(api.get("/api/runs/" + leftoverRun).ok(200).path("status").asString())
                    .isEqualTo("interrupted");
            // the interrupted model trains again
            api.post("/api/models/" + interrupted + "/steps", Map.of("texts",
                    List.of("hello world"))).ok(200);
        }
    }

    /** A run row left 'running' by a process that died without ending it. */
    private static TrainingRunEntity crashedRun(UUID model) {
        RunSpec spec = new RunSpec(null, 10, 1, 4, 0, 1, 0, 1, null);
        TrainingRunEntity run = new TrainingRunEntity(model, spec, null, Instant.now());
        run.setStatus(RunStatus.RUNNING);
        return run;
    }

    private static void truncateNewest(Path modelDir) throws IOException {
        try (Stream<Path> files = Files.list(modelDir)) {
            Path newest = files.filter(f -> f.getFileName().toString().startsWith("step-"))
                    .sorted().reduce((a, b) -> b).orElseThrow();
            byte[] bytes = Files.readAllBytes(newest);
            Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        }
    }
}
