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
import java.util.Arrays;
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

    /** What the first application left behind, to compare with after the restart. */
    record Before(String trained, long completedRun, double trainedLoss, long trainedSteps,
            String corrupted, double corruptedLossAtStep0, String interrupted,
            long interruptedRun, long leftoverRun) {
    }

    @Test
    void shouldRestoreModelsRunsAndStepsAfterARestart(CapturedOutput output) throws IOException {
        Before before;
        try (ConfigurableApplicationContext first = start()) {
            before = trainAndStop(first);
        }
        truncateNewest(dir.resolve("checkpoints").resolve(before.corrupted()));

        try (ConfigurableApplicationContext second = start()) {
            Api api = apiOf(second);
            JsonNode models = api.get("/api/models").ok(200);
            assertThat(models).hasSize(3);
            assertThat(models).allMatch(m -> m.path("loaded").asBoolean());
            assertTrainedModelAsBefore(api, before);

            assertThat(fixedLoss(api, before.corrupted()))
                    .isEqualTo(before.corruptedLossAtStep0());
            assertThat(output.getAll()).contains("Model " + before.corrupted() + ": checkpoint")
                    .contains("is unusable");

            JsonNode stopped = api.get("/api/runs/" + before.interruptedRun()).ok(200);
            assertThat(stopped.path("status").asString()).isEqualTo("interrupted");
            assertThat(stopped.path("currentStep").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(api.get("/api/runs/" + before.leftoverRun()).ok(200).path("status")
                    .asString()).isEqualTo("interrupted");
            // the interrupted model trains again
            api.post("/api/models/" + before.interrupted() + "/steps", Map.of("texts",
                    List.of("hello world"))).ok(200);
        }
    }

    /**
     * A model trained by a completed run, one with a newer checkpoint (to be truncated) than its
     * step-0 one, one trained by a run that is still going when the application closes, and a run
     * row left 'running' as by a crash.
     */
    private static Before trainAndStop(ConfigurableApplicationContext context) {
        Api api = apiOf(context);
        String dataset = RunFixtures.upload(api, RunIntegrationTests.TEXT);
        String trained = Fixtures.createTiny(api);
        long completedRun = api.post("/api/models/" + trained + "/runs", Map.of("datasetId",
                dataset, "steps", 12, "batchSize", 4, "seqLen", 8, "evalInterval", 4,
                "evalBatches", 2, "checkpointInterval", 5)).ok(202).path("id").asLong();
        RunEventsClient.readToEnd(api, "/api/runs/" + completedRun + "/events",
                Duration.ofSeconds(60));
        double trainedLoss = fixedLoss(api, trained);
        long trainedSteps = api.get("/api/models/" + trained + "/steps").ok(200)
                .path("totalElements").asLong();

        String corrupted = Fixtures.createTiny(api);
        double atStep0 = fixedLoss(api, corrupted);
        api.post("/api/models/" + corrupted + "/steps", Map.of("texts", List.of("hello world")))
                .ok(200);
        assertThat(fixedLoss(api, corrupted)).isNotEqualTo(atStep0);
        api.post("/api/models/" + corrupted + "/checkpoints", "").ok(201);

        String interrupted = Fixtures.createTiny(api);
        long interruptedRun = api.post("/api/models/" + interrupted + "/runs", Map.of(
                "datasetId", dataset, "steps", 1_000_000, "batchSize", 2, "seqLen", 8))
                .ok(202).path("id").asLong();
        RunFixtures.await(api, interruptedRun, r -> r.path("currentStep").asInt() >= 3,
                Duration.ofSeconds(30));
        long leftover = context.getBean(TrainingRunRepository.class)
                .save(crashedRun(UUID.fromString(trained))).getId();
        return new Before(trained, completedRun, trainedLoss, trainedSteps, corrupted, atStep0,
                interrupted, interruptedRun, leftover);
    }

    private static void assertTrainedModelAsBefore(Api api, Before before) {
        assertThat(fixedLoss(api, before.trained())).isEqualTo(before.trainedLoss());
        assertThat(api.get("/api/models/" + before.trained() + "/steps").ok(200)
                .path("totalElements").asLong()).isEqualTo(before.trainedSteps() + 1);
        JsonNode run = api.get("/api/runs/" + before.completedRun()).ok(200);
        assertThat(run.path("status").asString()).isEqualTo("completed");
        assertThat(run.path("currentStep").asInt()).isEqualTo(12);
        assertThat(api.get("/api/runs/" + before.completedRun() + "/evaluations").ok(200))
                .hasSize(3);
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
            Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));
        }
    }
}
