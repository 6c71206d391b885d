package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A reduced real-text run through the API: 150 steps of a small model on tinyshakespeare bring the
 * validation loss from about ln 65 ≈ 4.17 (an untrained model guesses uniformly) to well below 3.
 * Skipped when ../shared/data/tinyshakespeare.txt is absent.
 */
@IntegrationTest
class ShakespeareRunIntegrationTests {

    static final Path CORPUS = Path.of("../shared/data/tinyshakespeare.txt");

    @LocalServerPort
    int port;

    @Test
    void shouldLearnShakespeareIn150Steps() throws IOException {
        assumeTrue(Files.isRegularFile(CORPUS), "skipped: " + CORPUS.toAbsolutePath()
                + " is absent (the tinyshakespeare corpus)");
        Api api = new Api(port);
        String text = Files.readString(CORPUS);
        String dataset = RunFixtures.upload(api, text);
        String alphabet = api.get("/api/datasets/" + dataset).ok(200).path("alphabet")
                .asString();
        JsonNode model = Fixtures.create(api, Map.of("dModel", 64, "nHeads", 4, "nLayers", 2,
                "maxSeqLen", 32, "optimizer", Map.of("type", "adamw", "learningRate", 3e-3),
                "tokenizer", Map.of("type", "char", "corpus", alphabet)));
        int vocab = model.path("config").path("vocabSize").asInt();
        assertThat(vocab).isEqualTo(text.codePoints().distinct().count());

        long runId = api.post("/api/models/" + model.path("id").asString() + "/runs", Map.of(
                "datasetId", dataset, "steps", 150, "batchSize", 8, "seqLen", 32,
                "evalInterval", 150, "evalBatches", 8, "seed", 3)).ok(202).path("id").asLong();
        List<RunEventsClient.Event> events = RunEventsClient.readToEnd(api,
                "/api/runs/" + runId + "/events?every=50", Duration.ofSeconds(150));
        assertThat(events.get(events.size() - 1).name()).isEqualTo("completed");

        double start = api.get("/api/runs/" + runId + "/steps?size=1").ok(200)
                .path("content").get(0).path("loss").asDouble();
        assertThat(start).isCloseTo(Math.log(vocab), offset(0.3));
        JsonNode run = api.get("/api/runs/" + runId).ok(200);
        assertThat(run.path("lastValLoss").asDouble()).isLessThan(3.0);
    }
}
