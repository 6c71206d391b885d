package dev.gradlens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradlens.nn.Batch;
import dev.gradlens.training.StepRequest;
import dev.gradlens.training.StepView;
import dev.gradlens.training.TrainingService;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
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
 *
 * <p>The client is {@link HttpURLConnection} with a buffered body, as a notebook's
 * {@code requests.Session} behaves: one kept-alive connection for all steps. (In streaming mode
 * the JDK never sends a POST on a kept-alive connection, and the JDK's asynchronous
 * {@code HttpClient} hands every exchange between threads; either added 1-2 ms of client work
 * per step that is not the service's.)
 */
final class HttpCost {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Request-path warm-up: a model whose step is a few milliseconds. */
    private static final BenchConfig TINY = new BenchConfig("tiny", 1, 8, 1, 4, 2, 16);

    private HttpCost() {
    }

    static Map<String, Object> run(BenchConfig config, int warmup, int rounds, int pathWarmup,
            Log log) throws Exception {
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
            TrainingService service = context.getBean(TrainingService.class);
            // two models of one seed that take the same batch every round: the service call and
            // the HTTP call swap them from round to round, so that where a model's buffers lie
            // in memory does not favour one path
            UUID[] models = {createModel(base, config), createModel(base, config)};
            Implementation engine = Implementation.engine(Implementation.model(config));
            Workload workload = new Workload(config, 11);
            warmRequestPath(base, service, pathWarmup, log);

            String[] names = {"engine", "service", "http"};
            double[][] millis = new double[3][rounds];
            double[][] outside = new double[3][rounds]; // total minus the step's training time
            for (int round = 0; round < warmup + rounds; round++) {
                List<int[]> sequences = sequencesOf(workload.get(round));
                UUID serviceModel = models[round % 2];
                UUID httpModel = models[(round + 1) % 2];
                for (int k = 0; k < 3; k++) {
                    int i = (round + k) % 3;
                    long start = System.nanoTime();
                    double trainingMs = switch (i) {
                        case 0 -> {
                            engine.step(workload.get(round));
                            yield Double.NaN;
                        }
                        case 1 -> trainingMs(service.step(serviceModel, request(sequences)));
                        default -> trainingMs(postStep(base, httpModel, sequences));
                    };
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (round >= warmup) {
                        millis[i][round - warmup] = ms;
                        outside[i][round - warmup] = ms - trainingMs;
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
            result.put("pairedHttpOverEnginePercent", pairedPercent(millis[2], millis[0]));
            result.put("pairedHttpOverServicePercent", pairedPercent(millis[2], millis[1]));
            result.put("pairedServiceOverEnginePercent", pairedPercent(millis[1], millis[0]));
            result.put("serviceTrainingMs", medianDifference(millis[1], outside[1]));
            result.put("httpTrainingMs", medianDifference(millis[2], outside[2]));
            result.put("serviceOutsideTrainingMs", Stats.median(outside[1]));
            result.put("httpOutsideTrainingMs", Stats.median(outside[2]));
            result.put("httpAddedPercent", addedPercent(outside[2], millis[0]));
            result.put("httpLayerMs", Stats.median(difference(outside[2], outside[1])));
            result.put("httpLayerPercent", addedPercent(difference(outside[2], outside[1]),
                    millis[0]));
            result.put("serviceAddedPercent", addedPercent(outside[1], millis[0]));
            result.put("requestPathWarmupSteps", pathWarmup);
            log.info("http (%s): engine %.1f ms, service %.1f ms, http %.1f ms", config.name(),
                    engineMs, serviceMs, httpMs);
        }
        return result;
    }

    /**
     * What a path adds to a step, in percent: the median over rounds of the time it spent around
     * the training (its total minus the training time the service measured) over the same
     * round's bare engine step. Far less noisy than a ratio of two whole steps, whose own spread
     * (10-20% from step to step on a shared 2-core machine) swamps a difference of a few percent.
     */
    private static double addedPercent(double[] outsideMs, double[] engineMs) {
        double[] shares = new double[outsideMs.length];
        for (int r = 0; r < outsideMs.length; r++) {
            shares[r] = 100 * outsideMs[r] / engineMs[r];
        }
        return Stats.median(shares);
    }

    /**
     * Round by round, what the HTTP call spent around its training beyond what the in-process
     * service call spent around its own: the cost of the REST layer itself (Tomcat, Spring MVC,
     * JSON both ways, the client), without the validation and database write both calls make.
     */
    private static double[] difference(double[] httpOutside, double[] serviceOutside) {
        double[] layer = new double[httpOutside.length];
        for (int r = 0; r < layer.length; r++) {
            layer[r] = httpOutside[r] - serviceOutside[r];
        }
        return layer;
    }

    /** The median of total − outside: the training time the service measured inside a call. */
    private static double medianDifference(double[] total, double[] outside) {
        double[] inside = new double[total.length];
        for (int r = 0; r < total.length; r++) {
            inside[r] = total[r] - outside[r];
        }
        return Stats.median(inside);
    }

    /**
     * The median over rounds of each round's own ratio, in percent: the three paths of a round
     * run back to back, so a drift of the machine cancels out of the ratio.
     */
    private static double pairedPercent(double[] slower, double[] faster) {
        double[] ratios = new double[slower.length];
        for (int r = 0; r < slower.length; r++) {
            ratios[r] = 100 * (slower[r] / faster[r] - 1);
        }
        return Stats.median(ratios);
    }

    /**
     * Steps of a tiny model through both the REST API and the in-process service, so that the
     * request path (Tomcat, Spring MVC, JSON, the database write) is compiled by the JIT as in a
     * service that has been running for a while. Without it the measured steps would compare
     * interpreted Spring and Hibernate code with the engine's long-compiled loop.
     */
    private static void warmRequestPath(String base, TrainingService service, int steps,
            Log log) throws Exception {
        long start = System.nanoTime();
        UUID tiny = createModel(base, TINY);
        List<int[]> sequences = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7, 8, 9, 10});
        for (int i = 0; i < steps; i++) {
            postStep(base, tiny, sequences);
            service.step(tiny, request(sequences));
        }
        log.info("request path warmed by %d steps of a tiny model each way in %.1f s",
                steps, (System.nanoTime() - start) / 1e9);
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

    private static UUID createModel(String base, BenchConfig config) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vocabSize", config.vocab());
        body.put("dModel", config.width());
        body.put("nHeads", config.heads());
        body.put("nLayers", config.layers());
        body.put("maxSeqLen", config.length());
        body.put("optimizer", Map.of("type", "adamw", "learningRate", 1e-3,
                "weightDecay", 0.01));
        JsonNode created = post(base + "/api/models", JSON.writeValueAsBytes(body), 201);
        return UUID.fromString(created.get("id").asText());
    }

    private static JsonNode postStep(String base, UUID model, List<int[]> sequences)
            throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("tokens", sequences));
        return post(base + "/api/models/" + model + "/steps", body, 200);
    }

    /**
     * The step's own training time (gradients and update, without the database write) as the
     * service measured it: its answer gives tokens and tokens per second of that time.
     */
    private static double trainingMs(StepView step) {
        return 1000.0 * step.tokens() / step.tokensPerSecond();
    }

    private static double trainingMs(JsonNode step) {
        return 1000.0 * step.get("tokens").asDouble() / step.get("tokensPerSecond").asDouble();
    }

    /** POSTs JSON and reads the whole answer, leaving the connection to be kept alive. */
    private static JsonNode post(String url, byte[] body, int expected) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL()
                .openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        InputStream answer = status < 400 ? connection.getInputStream()
                : connection.getErrorStream();
        try (InputStream in = answer) {
            JsonNode json = JSON.readTree(in);
            if (status != expected) {
                throw new IllegalStateException("POST " + url + " answered " + status + ": "
                        + json);
            }
            return json;
        }
    }
}
