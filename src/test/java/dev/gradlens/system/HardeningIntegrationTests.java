package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import dev.gradlens.dataset.DatasetRepository;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Requests found to break the service when it was attacked with odd input: each one must be
 * refused with a 4xx problem+json naming the field, and change nothing.
 */
@IntegrationTest
class HardeningIntegrationTests extends BadInputFixture {

    @Autowired
    DatasetRepository datasetRows;

    @Nested
    class BadPercentEncoding {

        @Test
        void shouldNameTheQueryParameterThatIsNotPercentEncodedUtf8() {
            String model = "/api/models/" + Fixtures.createTiny(api);
            api.rawGet(model + "/gradients?bins=%ZZ").problem(400, "bins");
            api.rawGet(model + "/steps?size=5&page=%ZZ").problem(400, "page");
            api.rawGet("/api/runs/1/steps?page=%ZZ").problem(400, "page");
            api.rawGet(model + "/steps?page=%C3%28").problem(400, "page");
        }

        @Test
        void shouldSayQueryWhenTheNameItselfCannotBeRead() {
            String model = "/api/models/" + Fixtures.createTiny(api);
            api.rawGet(model + "/steps?page=1&%ZZ=3").problem(400, "query");
        }

        @Test
        void shouldRejectBadlyEncodedDatasetNameAndStoreNothing() {
            long before = datasetRows.count();
            for (String name : List.of("%ZZ", "%C3%28", "a%")) {
                api.raw("POST", "/api/datasets?name=" + name, "Content-Type: text/plain\r\n"
                        + "Content-Length: 3\r\n", "abc".getBytes(StandardCharsets.UTF_8))
                        .problem(400, "name");
            }
            assertThat(datasetRows.count()).isEqualTo(before);
        }
    }

    @Nested
    class MultipartUploads {

        static final String BOUNDARY = "xyz";

        Api.Response upload(String contentType, byte[] body) {
            return upload(contentType, HttpRequest.BodyPublishers.ofByteArray(body));
        }

        Api.Response upload(String contentType, HttpRequest.BodyPublisher body) {
            return api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                    .header("Content-Type", contentType).POST(body).build());
        }

        static String part(String name, String content) {
            return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"a.txt\"\r\n\r\n" + content + "\r\n";
        }

        @Test
        void shouldRejectTruncatedPartAndMissingBoundary() {
            long before = datasetRows.count();
            String truncated = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; "
                    + "name=\"file\"; filename=\"a.txt\"\r\n\r\nabc";
            upload("multipart/form-data; boundary=" + BOUNDARY,
                    truncated.getBytes(StandardCharsets.UTF_8)).problem(400, "file");
            upload("multipart/form-data", "garbage".getBytes(StandardCharsets.UTF_8))
                    .problem(400, "file");
            assertThat(datasetRows.count()).isEqualTo(before);
        }

        @Test
        void shouldRefuseTooManyPartsSayingSo() {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 61; i++) {
                body.append(part("p" + i, "x"));
            }
            body.append("--" + BOUNDARY + "--\r\n");
            JsonNode problem = upload("multipart/form-data; boundary=" + BOUNDARY,
                    body.toString().getBytes(StandardCharsets.UTF_8)).problem(413, "file");
            assertThat(problem.path("reason").asString()).contains("50 parts");
        }

        @Test
        void shouldStopReadingAnUploadPastTheLimitChunkedOrNot() {
            long limit = properties.getLimits().getMaxDatasetBytes();
            long before = datasetRows.count();
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"big.txt\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            long letters = limit + 1024 * 1024;
            // no known length: the client sends it chunked, and the filter sees no Content-Length
            HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                    () -> new PartOfLetters(head, letters));
            // the container's limit, not the service's check after reading the whole part
            assertThat(upload("multipart/form-data; boundary=" + BOUNDARY, chunked)
                    .problem(413, "file").path("reason").asString())
                    .startsWith("the file is larger than the limit of " + limit + " bytes");

            // refused on the declared length, before the body: so only its start is sent
            Api.Response declared = api.raw("POST", "/api/datasets", "Content-Type: "
                    + "multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: "
                    + (head.length + letters) + "\r\n", head);
            assertThat(declared.problem(413, "file").path("reason").asString())
                    .startsWith("the upload is larger than the limit of "
                            + (limit + 64 * 1024) + " bytes");
            assertThat(datasetRows.count()).isEqualTo(before);
        }

        @Test
        void shouldCheckAPartAgainstALimitLoweredAtRunTime() {
            long before = properties.getLimits().getMaxDatasetBytes();
            properties.getLimits().setMaxDatasetBytes(100);
            try {
                String body = part("file", "a".repeat(101)) + "--" + BOUNDARY + "--\r\n";
                upload("multipart/form-data; boundary=" + BOUNDARY,
                        body.getBytes(StandardCharsets.UTF_8)).problem(413, "file");
            } finally {
                properties.getLimits().setMaxDatasetBytes(before);
            }
        }
    }

    /** A multipart part head, then {@code letters} times 'a': never held in memory at once. */
    static final class PartOfLetters extends InputStream {

        private final byte[] head;
        private final long total;
        private long position;

        PartOfLetters(byte[] head, long letters) {
            this.head = head;
            this.total = head.length + letters;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = (int) Math.min(length, total - position);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++, position++) {
                buffer[offset + i] = position < head.length ? head[(int) position] : (byte) 'a';
            }
            return n;
        }
    }

    /** Both step histories, of a model and of a run, page the same way. */
    @Nested
    class StepHistoryPaging {

        List<String> histories;

        @BeforeEach
        void createModelWithOneStep() {
            String id = Fixtures.createTiny(api);
            long runId = api.post("/api/models/" + id + "/steps",
                    Map.of("texts", List.of("hello"))).ok(200).path("runId").asLong();
            histories = List.of("/api/models/" + id + "/steps", "/api/runs/" + runId + "/steps");
        }

        @Test
        void shouldRejectPageWhoseOffsetOverflows() {
            for (String steps : histories) {
                api.get(steps + "?page=2147483647").problem(400, "page");
                api.get(steps + "?page=2147483647&size=500").problem(400, "page");
                api.get(steps + "?page=1000000000&size=500").problem(400, "page");
                // (2^31 - 1) / 500 = 4,294,967.29: the last page of 500 whose offset fits an int
                api.get(steps + "?page=4294968&size=500").problem(400, "page");
                assertThat(api.get(steps + "?page=4294967&size=500").ok(200).path("content"))
                        .isEmpty();
            }
        }

        @Test
        void shouldRejectNegativePageAndSizeOutOfRange() {
            for (String steps : histories) {
                api.get(steps + "?page=-1").problem(400, "page");
                api.get(steps + "?page=abc").problem(400, "page");
                api.get(steps + "?size=0").problem(400, "size");
                api.get(steps + "?size=-5").problem(400, "size");
                api.get(steps + "?size=501").problem(400, "size");
                api.get(steps + "?size=100000").problem(400, "size");
                api.get(steps + "?size=1000000").problem(400, "size");
            }
        }

        @Test
        void shouldStillPageWithDefaultsAndIgnoreSort() {
            for (String steps : histories) {
                JsonNode page = api.get(steps + "?sort=unknownField,desc").ok(200);
                assertThat(page.path("page").asInt()).isZero();
                assertThat(page.path("size").asInt()).isEqualTo(50);
                assertThat(page.path("content")).hasSize(1);
                JsonNode last = api.get(steps + "?page=3&size=500").ok(200);
                assertThat(last.path("page").asInt()).isEqualTo(3);
                assertThat(last.path("size").asInt()).isEqualTo(500);
            }
        }
    }

    @Nested
    class StrictJson {

        @Test
        void shouldRejectDuplicateKeys() {
            api.post("/api/models", "{\"vocabSize\": 5, \"dModel\": 16, \"dModel\": 32}")
                    .problem(400, "dModel");
            assertNothingCreated();
        }

        @Test
        void shouldRejectDuplicateNestedKeys() {
            api.post("/api/models", "{\"vocabSize\": 5, \"optimizer\": {\"learningRate\": 0.1,"
                    + " \"learningRate\": 1e30}}").problem(400, "optimizer.learningRate");
            assertNothingCreated();
        }
    }

    @Nested
    class TextsTheDatabaseCannotStore {

        @Test
        void shouldRejectControlCharactersAndLoneSurrogatesInName() {
            api.post("/api/models", "{\"vocabSize\": 5, \"name\": \"a\\u0000b\"}")
                    .problem(400, "name");
            api.post("/api/models", "{\"vocabSize\": 5, \"name\": \"a\\ud800b\"}")
                    .problem(400, "name");
            assertNothingCreated();
        }

        @Test
        void shouldRejectNulAndLoneSurrogatesInCorpus() {
            api.post("/api/models", "{\"tokenizer\": {\"type\": \"char\", \"corpus\": "
                    + "\"ab\\u0000c\"}}").problem(400, "tokenizer.corpus");
            api.post("/api/models", "{\"tokenizer\": {\"type\": \"char\", \"corpus\": "
                    + "\"ab\\udc00c\"}}").problem(400, "tokenizer.corpus");
            assertNothingCreated();
        }

        @Test
        void shouldAcceptEmojiAndNewlines() {
            api.post("/api/models", Map.of("name", "model 😀", "tokenizer",
                    Map.of("type", "char", "corpus", "a\nb\t😀"))).ok(201);
        }
    }

    @Nested
    class ActivationLimits {

        String base;

        @BeforeEach
        void createModel() {
            base = "/api/models/" + Fixtures.create(api, Map.of("vocabSize", 10, "dModel", 16,
                    "nHeads", 4, "nLayers", 2, "maxSeqLen", 8192)).path("id").asString();
        }

        @Test
        void shouldRefuseStepWhoseActivationsWouldTakeGigabytes() {
            List<Integer> sequence = Collections.nCopies(8193, 1);
            api.post(base + "/steps", Map.of("tokens", List.of(sequence)))
                    .problem(413, "tokens");
            JsonNode history = api.get(base + "/steps").ok(200);
            assertThat(history.path("totalElements").asLong()).isZero();
        }

        @Test
        void shouldCountPaddingOfShortSequencesToTheLongest() {
            long limit = properties.getLimits().getMaxActivationElements();
            properties.getLimits().setMaxActivationElements(200_000);
            try {
                List<Integer> longest = Collections.nCopies(101, 1);
                api.post(base + "/steps", Map.of("tokens", List.of(longest))).ok(200);
                api.post(base + "/steps", Map.of("tokens", List.of(longest, List.of(1, 2),
                        List.of(1, 2), List.of(1, 2)))).problem(413, "tokens");
            } finally {
                properties.getLimits().setMaxActivationElements(limit);
            }
        }

        @Test
        void shouldCountTheTensorsOfWidthDModelThatEachLayerHolds() {
            // one sequence of 101 tokens: B = 1, T = 100, dFF = 4 * 16 = 64; per layer
            // 100 * 100 * 4 scores + 100 * 64 hidden + 29 * 100 * 16 of width dModel = 92,800;
            // two layers plus the logits 100 * 10: 186,600
            List<Integer> sequence = Collections.nCopies(101, 1);
            long limit = properties.getLimits().getMaxActivationElements();
            try {
                properties.getLimits().setMaxActivationElements(186_600);
                api.post(base + "/steps", Map.of("tokens", List.of(sequence))).ok(200);
                properties.getLimits().setMaxActivationElements(186_599);
                api.post(base + "/steps", Map.of("tokens", List.of(sequence)))
                        .problem(413, "tokens");
            } finally {
                properties.getLimits().setMaxActivationElements(limit);
            }
            assertThat(api.get(base + "/steps").ok(200).path("totalElements").asLong())
                    .isEqualTo(1);
        }

        @Test
        void shouldRefuseWideModelStepThatFitsTheTokenLimit() {
            // 5.26M parameters; 16 sequences of 1024 tokens are exactly max-tokens-per-request,
            // and took the process from 1.9 to 4.6 GB resident before dModel was counted
            String wide = "/api/models/" + Fixtures.create(api, Map.of("vocabSize", 1,
                    "dModel", 1024, "nHeads", 1, "nLayers", 1, "dFF", 1, "maxSeqLen", 1024))
                    .path("id").asString();
            try {
                List<List<Integer>> batch = Collections.nCopies(16,
                        Collections.nCopies(1024, 0));
                JsonNode problem = api.post(wide + "/steps", Map.of("tokens", batch))
                        .problem(413, "tokens");
                assertThat(problem.path("reason").asString())
                        .contains("16 sequences padded to 1023 positions");
                assertThat(api.get(wide + "/steps").ok(200).path("totalElements").asLong())
                        .isZero();
            } finally {
                assertThat(api.delete(wide).status()).isEqualTo(204);
            }
        }

        @Test
        void shouldRefuseAttentionMapsTooLargeToAnswer() {
            List<Integer> input = Collections.nCopies(800, 1);
            api.post(base + "/attention", Map.of("tokens", input)).problem(413, "tokens");
            api.post(base + "/attention?layer=0&head=0", Map.of("tokens", input)).ok(200);
        }
    }

    @Nested
    class HugeWeights {

        @Test
        void shouldReportAnUpdateThatOverflowsFloat32AsNotFinite() {
            String id = Fixtures.create(api, Map.of("vocabSize", 10, "dModel", 16, "nHeads", 2,
                    "nLayers", 1, "maxSeqLen", 8, "optimizer",
                    Map.of("type", "sgd", "learningRate", 1e300, "momentum", 0)))
                    .path("id").asString();

            JsonNode step = api.post("/api/models/" + id + "/steps", Map.of("tokens",
                    List.of(List.of(1, 2, 3, 4)))).ok(200);

            // 1e300 is no float32: the update is ±∞ or NaN wherever the gradient is not 0
            assertThat(step.path("applied").asBoolean()).isTrue();
            assertThat(step.path("finite").asBoolean()).isFalse();
            JsonNode stored = api.get("/api/models/" + id + "/steps").ok(200)
                    .path("content").get(0);
            assertThat(stored.path("finite").asBoolean()).isFalse();
        }

        @Test
        void shouldRefuseAnEpsilonOfZero() {
            api.post("/api/models", Map.of("vocabSize", 10, "optimizer",
                    Map.of("type", "adam", "epsilon", 0))).problem(400, "optimizer.epsilon");
        }

        @Test
        void shouldWriteFiniteHistogramEdgesWhenTheRangeOverflows() {
            String id = Fixtures.create(api, Map.of("vocabSize", 10, "dModel", 16, "nHeads", 2,
                    "nLayers", 1, "maxSeqLen", 8, "dataType", "float64", "optimizer",
                    Map.of("type", "sgd", "learningRate", 1e308, "momentum", 0)))
                    .path("id").asString();
            api.post("/api/models/" + id + "/steps", Map.of("tokens",
                    List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7)))).ok(200);

            Api.Response stats = api.get("/api/models/" + id + "/parameters");
            assertThat(stats.text()).doesNotContain("Infinity").doesNotContain("NaN");
            for (JsonNode parameter : stats.ok(200).path("parameters")) {
                for (JsonNode edge : parameter.path("histogram").path("edges")) {
                    assertThat(edge.isNumber()).as(parameter.toString()).isTrue();
                }
            }
        }
    }
}
