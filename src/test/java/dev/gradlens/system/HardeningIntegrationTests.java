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

    @Nested
    class StepHistoryPaging {

        String steps;

        @BeforeEach
        void createModel() {
            steps = "/api/models/" + Fixtures.createTiny(api) + "/steps";
        }

        @Test
        void shouldRejectPageWhoseOffsetOverflows() {
            api.get(steps + "?page=2147483647").problem(400, "page");
            api.get(steps + "?page=1000000000&size=500").problem(400, "page");
        }

        @Test
        void shouldRejectNegativePageAndSizeOutOfRange() {
            api.get(steps + "?page=-1").problem(400, "page");
            api.get(steps + "?size=0").problem(400, "size");
            api.get(steps + "?size=-5").problem(400, "size");
            api.get(steps + "?size=1000000").problem(400, "size");
            api.get(steps + "?page=abc").problem(400, "page");
        }

        @Test
        void shouldStillPageWithDefaultsAndIgnoreSort() {
            JsonNode page = api.get(steps + "?sort=unknownField,desc").ok(200);
            assertThat(page.path("size").asInt()).isEqualTo(50);
            assertThat(api.get(steps + "?page=3&size=500").ok(200).path("page").asInt())
                    .isEqualTo(3);
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
        void shouldRefuseAttentionMapsTooLargeToAnswer() {
            List<Integer> input = Collections.nCopies(800, 1);
            api.post(base + "/attention", Map.of("tokens", input)).problem(413, "tokens");
            api.post(base + "/attention?layer=0&head=0", Map.of("tokens", input)).ok(200);
        }
    }

    @Nested
    class HugeWeights {

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
