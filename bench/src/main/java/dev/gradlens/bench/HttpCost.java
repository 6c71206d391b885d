package dev.gradlens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradlens.nn.Batch;
import dev.gradlens.training.StepRequest;
import dev.gradlens.training.TrainingService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of the service around a training step of one configuration. The Spring application
 * runs in this JVM on a random port with an in-memory H2 database; each round times, in rotating
 * order, the same kind of step three ways on three models built from the same seed:
 *
 * <ol>
 *   <li>{@code engine}: {@code Trainer.step} called directly, as a library user would;</li>
 *   <li>{@code service}: {@code TrainingService.step} called in-process (batch validation, then
 *       the database write of the step and its gradient norms before the update is applied),
 *       no HTTP;</li>
 *   <li>{@code http}: {@code POST /api/models/{id}/steps} over a kept-alive HTTP/1.1 connection
 *       (JSON in and out, Spring MVC, then the same service call).</li>
 * </ol>
 */
final class HttpCost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpCost() {
    }

    static Map<String, Object> run(BenchConfig config, int warmup, int rounds, Log log)
            throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Class<?> application;
        try {
            application = Class.forName("dev.gradlens.GradlensApplication");
        } catch (ClassNotFoundException e) {
            result.put("measured", false);
            result.put("reason", "dev.gradlens.GradlensApplication is not on the classpath");
            return result;
        }
        SpringApplication app = new SpringApplication(application);
        try (ConfigurableApplicationContext context = app.run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1",
                "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--gradlens.limits.max-models=100")) {
            String base = "http://localhost:"
                    + context.getEnvironment().getProperty("local.server.port");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .build();
            TrainingService service = context.getBean(TrainingService.class);
            UUID httpModel = createModel(client, base, config);
            UUID serviceModel = createModel(client, base, config);
            Implementation engine = Implementation.engine(Implementation.model(config));
            Workload workload = new Workload(config, 11);

            String[] names = {"engine", "service", "http"};
            double[][] millis = new double[3][rounds];
            for (int round = 0; round < warmup + rounds; round++) {
                List<int[]> sequences = sequencesOf(workload.get(round));
                for (int k = 0; k < 3; k++) {
                    int i = (round + k) % 3;
                    long start = System.nanoTime();
                    switch (i) {
                        case 0 -> engine.step(workload.get(round));
                        case 1 -> service.step(serviceModel, request(sequences));
                        default -> postStep(client, base, httpModel, sequences);
                    }
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (round >= warmup) {
                        millis[i][round - warmup] = ms;
                    }
                }
            }
            result.put("measured", true);
            result.put("config", config.name());
            result.put("warmupRounds", warmup);
            result.put("rounds", rounds);
            for (int i = 0; i < 3; i++) {
                result.put(names[i], StepComparison.summary(config, millis[i]));
            }
            double engineMs = Stats.median(millis[0]);
            double serviceMs = Stats.median(millis[1]);
            double httpMs = Stats.median(millis[2]);
            result.put("httpOverEnginePercent", 100 * (httpMs / engineMs - 1));
            result.put("httpOverServicePercent", 100 * (httpMs / serviceMs - 1));
            result.put("serviceOverEnginePercent", 100 * (serviceMs / engineMs - 1));
            log.info("http (%s): engine %.1f ms, service %.1f ms, http %.1f ms", config.name(),
                    engineMs, serviceMs, httpMs);
        }
        return result;
    }

    /** The whole sequences (inputs plus the last target) that Batch.nextTokenOf was built from. */
    private static List<int[]> sequencesOf(Batch batch) {
        List<int[]> sequences = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            int[] in = batch.inputs().get(b);
            int[] whole = java.util.Arrays.copyOf(in, in.length + 1);
            whole[in.length] = batch.targets().get(b)[in.length - 1];
            sequences.add(whole);
        }
        return sequences;
    }

    private static StepRequest request(List<int[]> sequences) {
        List<List<Integer>> tokens = new ArrayList<>();
        for (int[] s : sequences) {
            tokens.add(java.util.Arrays.stream(s).boxed().toList());
        }
        return new StepRequest(tokens, null, null, null);
    }

    private static UUID createModel(HttpClient client, String base, BenchConfig config)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vocabSize", config.vocab());
        body.put("dModel", config.width());
        body.put("nHeads", config.heads());
        body.put("nLayers", config.layers());
        body.put("maxSeqLen", config.length());
        body.put("optimizer", Map.of("type", "adamw", "learningRate", 1e-3,
                "weightDecay", 0.01));
        JsonNode created = post(client, base + "/api/models", JSON.writeValueAsString(body), 201);
        return UUID.fromString(created.get("id").asText());
    }

    private static void postStep(HttpClient client, String base, UUID model,
            List<int[]> sequences) throws Exception {
        String body = JSON.writeValueAsString(Map.of("tokens", sequences));
        post(client, base + "/api/models/" + model + "/steps", body, 200);
    }

    private static JsonNode post(HttpClient client, String url, String body, int expected)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
