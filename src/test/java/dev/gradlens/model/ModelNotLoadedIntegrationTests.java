package dev.gradlens.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.IntegrationTest;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A model whose row exists but whose weights are not in memory, as after a restart: it is listed
 * with loaded false, its history reads, and everything that needs weights answers 409.
 */
@IntegrationTest
class ModelNotLoadedIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ModelRepository modelRows;

    Api api;
    UUID id;

    @BeforeEach
    void storeRowOnly() {
        api = new Api(port);
        id = storeRow();
    }

    private UUID storeRow() {
        UUID stored = UUID.randomUUID();
        TransformerConfig config = TransformerConfig.of(12, 8, 2, 1, 16);
        ModelSpec spec = new ModelSpec("restored", config, OptimizerConfig.adamW(1e-3),
                TokenizerSpec.none(), ModelSpec.parameterCountOf(config));
        modelRows.save(new ModelEntity(stored, spec, Instant.now()));
        return stored;
    }

    @Test
    void shouldListStoredModelAsNotLoaded() {
        JsonNode model = api.get("/api/models/" + id).ok(200);
        assertThat(model.path("loaded").asBoolean()).isFalse();
        assertThat(model.has("parameters")).isFalse();
        assertThat(model.path("config").path("vocabSize").asInt()).isEqualTo(12);
    }

    @Test
    void shouldAnswer409ForWorkThatNeedsWeights() {
        String base = "/api/models/" + id;
        api.post(base + "/steps", Map.of("tokens", List.of(List.of(1, 2, 3))))
                .problem(409, "id");
        api.get(base + "/gradients").problem(409, "id");
        api.get(base + "/gradients/lm_head.weight").problem(409, "id");
        api.get(base + "/parameters").problem(409, "id");
        api.get(base + "/parameters/lm_head.bias?format=npy").problem(409, "id");
        api.post(base + "/attention", Map.of("tokens", List.of(1, 2))).problem(409, "id");
    }

    @Test
    void shouldStillPageHistoryAndDelete() {
        JsonNode page = api.get("/api/models/" + id + "/steps").ok(200);
        assertThat(page.path("totalElements").asLong()).isZero();
        assertThat(api.delete("/api/models/" + id).status()).isEqualTo(204);
        assertThat(modelRows.existsById(id)).isFalse();
    }

    @Test
    void shouldDeleteExactlyOnceWhenDeletesRace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String path = "/api/models/" + storeRow();
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Api.Response>> deletes = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    deletes.add(pool.submit(() -> {
                        start.await();
                        return api.delete(path);
                    }));
                }
                int deleted = 0;
                for (Future<Api.Response> delete : deletes) {
                    Api.Response response = delete.get();
                    if (response.status() == 204) {
                        deleted++;
                    } else {
                        response.problem(404, "id");
                    }
                }
                assertThat(deleted).as("204 answers in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
