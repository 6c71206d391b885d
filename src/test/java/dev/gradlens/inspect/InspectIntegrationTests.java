package dev.gradlens.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.system.GradlensProperties;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class InspectIntegrationTests {

    private static final double TOLERANCE = 1e-12;
    private static final String DOTTED = "blocks.0.attention.q.weight";

    @LocalServerPort
    int port;

    @Autowired
    GradlensProperties properties;

    Api api;
    String id;
    String base;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        id = Fixtures.createTiny(api);
        base = "/api/models/" + id;
        api.post(base + "/steps", Map.of("texts", List.of("hello world", "gradients")))
                .ok(200);
    }

    /** Every element of a nested JSON array, in C order. */
    static List<Double> flatten(JsonNode node) {
        List<Double> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(child -> out.addAll(flatten(child)));
        } else {
            out.add(node.asDouble());
        }
        return out;
    }

    @Test
    void shouldMatchStatisticsRecomputedFromTheFullTensor() {
        JsonNode stats = api.get(base + "/gradients").ok(200);
        assertThat(stats.path("bins").asInt()).isEqualTo(20);
        assertThat(stats.path("stepNumber").asLong()).isEqualTo(1);
        for (JsonNode p : stats.path("parameters")) {
            String name = p.path("name").asString();
            List<Double> values = flatten(api.get(base + "/gradients/" + name).ok(200)
                    .path("values"));
            assertStatsMatch(p, values);
        }
    }

    private static void assertStatsMatch(JsonNode p, List<Double> values) {
        int n = values.size();
        double sum = 0;
        double squares = 0;
        long zeros = 0;
        for (double v : values) {
            sum += v;
            squares += v * v;
            zeros += v == 0 ? 1 : 0;
        }
        double mean = sum / n;
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean) / n;
        }
        assertThat(p.path("count").asLong()).isEqualTo(n);
        assertThat(p.path("mean").asDouble()).isCloseTo(mean, within(TOLERANCE));
        assertThat(p.path("std").asDouble()).isCloseTo(Math.sqrt(variance), within(TOLERANCE));
        assertThat(p.path("l2Norm").asDouble()).isCloseTo(Math.sqrt(squares), within(TOLERANCE));
        assertThat(p.path("min").asDouble()).isEqualTo(values.stream().mapToDouble(d -> d).min()
                .orElseThrow());
        assertThat(p.path("max").asDouble()).isEqualTo(values.stream().mapToDouble(d -> d).max()
                .orElseThrow());
        assertThat(p.path("zeroFraction").asDouble()).isEqualTo((double) zeros / n);
        assertThat(p.path("nonFiniteCount").asLong()).isZero();
        long histogramTotal = 0;
        for (JsonNode c : p.path("histogram").path("counts")) {
            histogramTotal += c.asLong();
        }
        assertThat(histogramTotal).isEqualTo(n);
        assertThat(p.path("histogram").path("edges").size()).isEqualTo(21);
    }

    @Test
    void shouldAgreeWithTheStepsGradientNorms() {
        JsonNode step = api.post(base + "/steps", Map.of("texts", List.of("hello"))).ok(200);
        JsonNode stats = api.get(base + "/gradients?bins=5").ok(200);
        for (JsonNode p : stats.path("parameters")) {
            assertThat(p.path("l2Norm").asDouble()).isCloseTo(
                    step.path("gradNorms").path(p.path("name").asString()).asDouble(),
                    within(1e-9));
            assertThat(p.path("histogram").path("counts").size()).isEqualTo(5);
        }
    }

    @Test
    void shouldReportUpdateRatioOfTheLatestStep() {
        List<Double> before = flatten(api.get(base + "/parameters/lm_head.weight").ok(200)
                .path("values"));
        api.post(base + "/steps", Map.of("texts", List.of("hello"))).ok(200);
        List<Double> after = flatten(api.get(base + "/parameters/lm_head.weight").ok(200)
                .path("values"));
        double delta = 0;
        double weight = 0;
        for (int i = 0; i < before.size(); i++) {
            delta += Math.pow(after.get(i) - before.get(i), 2);
            weight += before.get(i) * before.get(i);
        }
        JsonNode lmHead = find(api.get(base + "/gradients").ok(200), "lm_head.weight");
        assertThat(lmHead.path("updateRatio").asDouble())
                .isCloseTo(Math.sqrt(delta) / Math.sqrt(weight), within(1e-9));
    }

    private static JsonNode find(JsonNode stats, String name) {
        for (JsonNode p : stats.path("parameters")) {
            if (p.path("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no statistics for " + name);
    }

    @Test
    void shouldDescribeInitialParameters() {
        String fresh = Fixtures.createTiny(api);
        JsonNode stats = api.get("/api/models/" + fresh + "/parameters").ok(200);
        JsonNode bias = find(stats, "lm_head.bias");
        assertThat(bias.path("zeroFraction").asDouble()).isEqualTo(1.0);
        JsonNode norm = find(stats, "blocks.0.ln1.weight");
        assertThat(norm.path("mean").asDouble()).isEqualTo(1.0);
        assertThat(norm.path("std").asDouble()).isEqualTo(0.0);
        // all values equal: NumPy widens the range to [v - 0.5, v + 0.5], the middle bin counts
        assertThat(norm.path("histogram").path("counts").get(10).asLong()).isEqualTo(8);
        JsonNode embedding = find(stats, "token_embedding.weight");
        assertThat(embedding.path("std").asDouble()).isCloseTo(0.02, within(0.008));
        assertThat(find(api.get("/api/models/" + fresh + "/gradients").ok(200),
                "lm_head.weight").has("updateRatio")).isFalse();
    }

    @Test
    void shouldServeDottedNameWholeAsJson() {
        JsonNode tensor = api.get(base + "/gradients/" + DOTTED).ok(200);
        assertThat(tensor.path("name").asString()).isEqualTo(DOTTED);
        assertThat(tensor.path("kind").asString()).isEqualTo("gradient");
        assertThat(tensor.path("shape").toString()).isEqualTo("[8,8]");
        assertThat(tensor.path("values").size()).isEqualTo(8);
        assertThat(tensor.path("values").get(0).size()).isEqualTo(8);
        assertThat(tensor.path("dataType").asString()).isEqualTo("float64");
    }

    @Test
    void shouldServeNpyForAcceptOctetStreamAndFormatParameter() {
        Api.Response byAccept = api.get(base + "/gradients/" + DOTTED,
                "application/octet-stream");
        Api.Response byFormat = api.get(base + "/gradients/" + DOTTED + "?format=npy");
        assertThat(byAccept.status()).isEqualTo(200);
        assertThat(byAccept.contentType()).isEqualTo("application/octet-stream");
        assertThat(byFormat.body()).isEqualTo(byAccept.body());

        Npy npy = Npy.parse(byAccept.body());
        assertThat(npy.descr()).isEqualTo("<f8");
        assertThat(npy.shape()).containsExactly(8L, 8L);
        List<Double> json = flatten(api.get(base + "/gradients/" + DOTTED).ok(200)
                .path("values"));
        assertThat(npy.values()).containsExactlyElementsOf(json);
    }

    @Test
    void shouldWriteFloat32ModelsAsF4() {
        String small = Fixtures.create(api, Fixtures.tinyCharModel("dataType", "float32"))
                .path("id").asString();
        Api.Response response = api.get("/api/models/" + small
                + "/parameters/lm_head.bias?format=npy");
        Npy npy = Npy.parse(response.body());
        assertThat(npy.descr()).isEqualTo("<f4");
        assertThat(npy.shape()).hasSize(1);
        assertThat(npy.values()).allMatch(v -> v == 0.0);
    }

    /** A minimal .npy reader for the tests: header fields and little-endian values. */
    record Npy(String descr, long[] shape, List<Double> values) {

        static Npy parse(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes[0] & 0xff).isEqualTo(0x93);
            assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
            assertThat(bytes[6]).isEqualTo((byte) 1);
            assertThat(bytes[7]).isEqualTo((byte) 0);
            int headerLength = in.getShort(8) & 0xffff;
            assertThat((10 + headerLength) % 64).isZero();
            String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
            assertThat(header).endsWith("\n").contains("'fortran_order': False");
            String descr = header.replaceAll("(?s).*'descr': '([^']+)'.*", "$1");
            String dims = header.replaceAll("(?s).*'shape': \\(([^)]*)\\).*", "$1");
            long[] shape = java.util.Arrays.stream(dims.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
            in.position(10 + headerLength);
            List<Double> values = new ArrayList<>();
            while (in.hasRemaining()) {
                values.add(descr.equals("<f8") ? in.getDouble() : (double) in.getFloat());
            }
            return new Npy(descr, shape, values);
        }
    }

    @Test
    void shouldReturnAttentionMapsPerLayerAndHead() {
        JsonNode attention = api.post(base + "/attention", Map.of("text", "hello")).ok(200);
        assertThat(attention.path("labels").toString())
                .isEqualTo("[\"h\",\"e\",\"l\",\"l\",\"o\"]");
        assertThat(attention.path("tokens").size()).isEqualTo(5);
        assertThat(attention.path("layers").size()).isEqualTo(2);
        for (JsonNode layer : attention.path("layers")) {
            assertThat(layer.path("heads").size()).isEqualTo(2);
            for (JsonNode head : layer.path("heads")) {
                assertCausalRows(head.path("probabilities"), 5);
            }
        }
    }

    private static void assertCausalRows(JsonNode matrix, int length) {
        assertThat(matrix.size()).isEqualTo(length);
        for (int q = 0; q < length; q++) {
            double sum = 0;
            for (int k = 0; k < length; k++) {
                double p = matrix.get(q).get(k).asDouble();
                sum += p;
                if (k > q) {
                    assertThat(p).as("future key %d of query %d", k, q).isZero();
                }
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void shouldFilterAttentionByLayerAndHead() {
        JsonNode attention = api.post(base + "/attention?layer=1&head=0",
                Map.of("tokens", List.of(0, 1, 2))).ok(200);
        assertThat(attention.path("layers").size()).isEqualTo(1);
        assertThat(attention.path("layers").get(0).path("layer").asInt()).isEqualTo(1);
        assertThat(attention.path("layers").get(0).path("heads").size()).isEqualTo(1);
        assertThat(attention.path("layers").get(0).path("heads").get(0).path("head").asInt())
                .isZero();
    }

    @Nested
    class BadInput {

        @Test
        void shouldAnswerUnknownParameterWith404() {
            api.get(base + "/gradients/nope").problem(404, "name");
            api.get(base + "/parameters/" + DOTTED + ".json").problem(404, "name");
            api.get(base + "/parameters/blocks.9.ln1.weight?format=npy").problem(404, "name");
        }

        @Test
        void shouldAnswerProblemJsonEvenWhenNpyWasAskedFor() {
            Api.Response response = api.get(base + "/gradients/nope", "application/octet-stream");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }

        @Test
        void shouldRejectUnknownFormat() {
            api.get(base + "/gradients/" + DOTTED + "?format=xml").problem(400, "format");
        }

        @Test
        void shouldRejectBinsOutOfRangeOrNotANumber() {
            api.get(base + "/gradients?bins=0").problem(400, "bins");
            api.get(base + "/parameters?bins=abc").problem(400, "bins");
            int tooMany = properties.getLimits().getMaxHistogramBins() + 1;
            api.get(base + "/gradients?bins=" + tooMany).problem(400, "bins");
        }

        @Test
        void shouldRejectBadAttentionInput() {
            api.post(base + "/attention?layer=2", Map.of("text", "hello")).problem(400, "layer");
            api.post(base + "/attention?head=-1", Map.of("text", "hello")).problem(400, "head");
            api.post(base + "/attention", Map.of("tokens", List.of(1, 99))).problem(400,
                    "tokens[1]");
            api.post(base + "/attention", Map.of("tokens", List.of())).problem(400, "tokens");
            api.post(base + "/attention", Map.of("text", "hello world, hello")).problem(400,
                    "text");
            api.post(base + "/attention", Map.of("text", "hello!")).problem(400, "text");
            api.post(base + "/attention", Map.of("text", "hi", "tokens", List.of(1)))
                    .problem(400, "text");
            api.post(base + "/attention", Map.of()).problem(400, "tokens");
            api.post(base + "/attention", "{\"text\": \"hi\", \"layer\": 0}").problem(400,
                    "layer");
        }

        @Test
        void shouldRejectAttentionInputPastTokenLimit() {
            int limit = properties.getLimits().getMaxTokensPerRequest();
            properties.getLimits().setMaxTokensPerRequest(2);
            try {
                api.post(base + "/attention", Map.of("tokens", List.of(1, 2, 3)))
                        .problem(413, "tokens");
            } finally {
                properties.getLimits().setMaxTokensPerRequest(limit);
            }
        }

        @Test
        void shouldAnswerUnknownModelWith404() {
            String unknown = "/api/models/" + java.util.UUID.randomUUID();
            api.get(unknown + "/gradients").problem(404, "id");
            api.get(unknown + "/parameters/lm_head.bias").problem(404, "id");
            api.post(unknown + "/attention", Map.of("tokens", List.of(1))).problem(404, "id");
        }
    }
}
