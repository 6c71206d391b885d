package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Malformed, non-standard and oversized requests get a 4xx problem+json naming the field, and
 * create nothing. Uses model creation as the target: every check runs before the engine.
 */
@IntegrationTest
class ProblemJsonIntegrationTests extends BadInputFixture {

    @Nested
    class MalformedJson {

        @Test
        void shouldRejectTruncatedJsonNamingWhereItBroke() {
            JsonNode problem = api.post("/api/models", "{\"dModel\": 16,").problem(400, "dModel");
            assertThat(problem.path("reason").asString()).isEqualTo(
                    "the JSON ends too early (is the body truncated?) at line 1, column 15");
            assertThat(problem.path("detail").asString()).isEqualTo("dModel: "
                    + "the JSON ends too early (is the body truncated?) at line 1, column 15");
            assertNothingCreated();
        }

        @Test
        void shouldRejectTruncatedStringWithoutParserInternals() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10, \"name\": \"ab")
                    .problem(400, "name");
            assertThat(problem.path("reason").asString()).isEqualTo("the JSON ends too early "
                    + "inside a string (is the body truncated?) at line 1, column 30");
            assertNothingCreated();
        }

        @Test
        void shouldCountColumnsInBytesOfTheUtf8Text() {
            // "é" is two bytes: the 'x' is the 28th character and the 29th byte
            JsonNode problem = api.post("/api/models", "{\"name\": \"\u00e9\", \"vocabSize\": x}")
                    .problem(400, "vocabSize");
            assertThat(problem.path("reason").asString()).startsWith("unrecognized token 'x'")
                    .endsWith(" at line 1, column 29");
            assertNothingCreated();
        }

        @Test
        void shouldRejectUnclosedObjectWithoutSourceDescription() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10]")
                    .problem(400, "vocabSize");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("unexpected ']', expected '}' at line 1, column 17");
            assertThat(problem.toString()).doesNotContain("Source", "REDACTED", "Feature");
            assertNothingCreated();
        }

        @Test
        void shouldRejectMissingBody() {
            api.post("/api/models", "").problem(400, "body");
            assertNothingCreated();
        }

        @Test
        void shouldSayABodyOfJsonNullIsNull() {
            JsonNode problem = api.post("/api/models", "null").problem(400, "body");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("the request body is JSON null; expected an object");
            assertNothingCreated();
        }

        @Test
        void shouldNameTheCharacterAndWhereItStartsWithoutTheParsersWording() {
            JsonNode problem = api.post("/api/models", "{\u201cdModel\u201d: 32}")
                    .problem(400, "body");
            assertThat(problem.path("reason").asString()).isEqualTo("expected a field name in "
                    + "double quotes, found '\u201c' (U+201C, JSON needs straight double quotes) "
                    + "at line 1, column 2");
            problem = api.post("/api/models", "{\"dModel\": \u00e9}").problem(400, "dModel");
            assertThat(problem.path("reason").asString()).isEqualTo("an unexpected non-ASCII "
                    + "character or bytes that are not UTF-8 at line 1, column 12");
            problem = api.post("/api/models", "{\u0001\"dModel\": 32}").problem(400, "body");
            assertThat(problem.path("reason").asString()).isEqualTo("a control character "
                    + "(U+0001) is not allowed here; only spaces, tabs and line breaks may "
                    + "separate JSON tokens at line 1, column 2");
            assertNothingCreated();
        }

        @Test
        void shouldNameTheFieldOfANumberPastTheParsersLimit() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10, \"dModel\": "
                    + "1".repeat(2000) + "}").problem(400, "dModel");
            assertThat(problem.path("reason").asString()).isEqualTo(
                    "the number has 2000 digits (at most 1000 are allowed) at line 1, column 19");
            api.post("/api/models", "{\"optimizer\": {\"learningRate\": 0."
                    + "1".repeat(1200) + "}}").problem(400, "optimizer.learningRate");
            assertNothingCreated();
        }

        @Test
        void shouldNameTheElementOfAnArrayWhereAStringBelongs() {
            // the body is read before the model is looked up: no model needed
            String steps = "/api/models/" + UUID.randomUUID() + "/steps";
            for (String body : new String[] {"{\"texts\": [[\"to be\"]]}",
                    "{\"texts\": [[\"to be\"], \"x\"]}",
                    "{\"texts\": [[\"to be\"]], \"update\": true}", "{\"texts\": [[]]}"}) {
                JsonNode problem = api.post(steps, body).problem(400, "texts[0]");
                assertThat(problem.path("reason").asString()).as(body)
                        .isEqualTo("expected a string, not an array");
            }
        }

        @Test
        void shouldRejectTrailingGarbage() {
            api.post("/api/models", "{\"vocabSize\": 10} x").problem(400, "body");
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10} {}")
                    .problem(400, "body");
            assertThat(problem.path("reason").asString()).isEqualTo(
                    "unexpected content after the end of the JSON value at line 1, column 19");
            assertNothingCreated();
        }
    }

    @Nested
    class NonFiniteNumbers {

        @Test
        void shouldRejectBareNaN() {
            JsonNode problem = api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"learningRate\": NaN}}")
                    .problem(400, "optimizer.learningRate");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("not a JSON number (NaN and Infinity are not valid JSON)");
            assertNothingCreated();
        }

        @Test
        void shouldRejectBareInfinity() {
            JsonNode problem = api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"beta1\": -Infinity}}")
                    .problem(400, "optimizer.beta1");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("not a JSON number (NaN and Infinity are not valid JSON)");
            assertNothingCreated();
        }

        @Test
        void shouldRejectNaNAsString() {
            api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"learningRate\": \"NaN\"}}")
                    .problem(400, "optimizer.learningRate");
            assertNothingCreated();
        }

        @Test
        void shouldRejectInfinityAsString() {
            api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"epsilon\": \"Infinity\"}}")
                    .problem(400, "optimizer.epsilon");
            assertNothingCreated();
        }

        @Test
        void shouldRejectNumberThatOverflowsToInfinity() {
            api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"learningRate\": 1e999}}")
                    .problem(400, "optimizer.learningRate");
            assertNothingCreated();
        }
    }

    @Nested
    class WrongTypesAndUnknownFields {

        @Test
        void shouldRejectUnknownField() {
            api.post("/api/models", "{\"vocabSize\": 10, \"dmodel\": 16}")
                    .problem(400, "dmodel");
            assertNothingCreated();
        }

        @Test
        void shouldRejectUnknownNestedField() {
            api.post("/api/models", "{\"vocabSize\": 10, \"optimizer\": {\"lr\": 0.1}}")
                    .problem(400, "optimizer.lr");
            assertNothingCreated();
        }

        @Test
        void shouldRejectNumberAsString() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": \"10\"}")
                    .problem(400, "vocabSize");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected an integer, not a string");
            assertNothingCreated();
        }

        @Test
        void shouldRejectFractionForInteger() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10, \"dModel\": 16.5}")
                    .problem(400, "dModel");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected an integer, not 16.5");
            assertNothingCreated();
        }

        @Test
        void shouldRejectIntegerOverflow() {
            JsonNode problem = api.post("/api/models",
                    "{\"vocabSize\": 10, \"nLayers\": 99999999999}").problem(400, "nLayers");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected an integer between -2147483648 and 2147483647");
            assertNothingCreated();
        }

        @Test
        void shouldRejectStringForBoolean() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10, \"causal\": \"yes\"}")
                    .problem(400, "causal");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected a boolean (true or false), not a string");
            assertNothingCreated();
        }

        @Test
        void shouldRejectNumberForString() {
            JsonNode problem = api.post("/api/models", "{\"vocabSize\": 10, \"norm\": 1}")
                    .problem(400, "norm");
            assertThat(problem.path("reason").asString()).isEqualTo("expected a string, not 1");
            assertNothingCreated();
        }

        @Test
        void shouldRejectArrayForObject() {
            JsonNode problem = api.post("/api/models", "[1, 2]").problem(400, "body");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected an object, not an array");
            assertNothingCreated();
        }

        @Test
        void shouldRejectObjectForArray() {
            // the body is read before the model is looked up: no model needed
            JsonNode problem = api.post("/api/models/" + UUID.randomUUID() + "/steps",
                    "{\"tokens\": {\"0\": [1, 2]}}").problem(400, "tokens");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("expected an array, not an object");
        }

        @Test
        void shouldListTheKnownFieldsOfAnUnknownOne() {
            JsonNode problem = api.post("/api/models",
                    "{\"vocabSize\": 10, \"optimizer\": {\"lr\": 0.1}}")
                    .problem(400, "optimizer.lr");
            assertThat(problem.path("reason").asString()).startsWith("unknown field")
                    .contains("learningRate");
        }

        @Test
        void shouldRejectWrongContentType() {
            Api.Response response = api.send(HttpRequest.newBuilder(api.uri("/api/models"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertNothingCreated();
        }

        @Test
        void shouldRejectInvalidModelId() {
            JsonNode problem = api.get("/api/models/not-a-uuid").problem(400, "id");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("'not-a-uuid' is not a UUID");
        }
    }

    @Nested
    class RequestBytes {

        @Test
        void shouldRejectDeclaredContentLengthPastLimit() {
            long limit = properties.getLimits().getMaxRequestBytes();
            String corpus = "a".repeat((int) limit + 10);
            String body = "{\"tokenizer\": {\"type\": \"char\", \"corpus\": \"" + corpus + "\"}}";
            api.post("/api/models", body).problem(413, "body");
            assertNothingCreated();
        }

        @Test
        void shouldRejectChunkedBodyPastLimit() {
            long limit = properties.getLimits().getMaxRequestBytes();
            byte[] body = ("{\"tokenizer\": {\"type\": \"char\", \"corpus\": \""
                    + "a".repeat((int) limit + 10) + "\"}}").getBytes(StandardCharsets.UTF_8);
            // an input-stream publisher has no known length: the client sends it chunked
            HttpRequest request = HttpRequest.newBuilder(api.uri("/api/models"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(body)))
                    .build();
            api.send(request).problem(413, "body");
            assertNothingCreated();
        }
    }

    @Nested
    class ContentEncoding {

        private static final String REASON =
                "request bodies are not decompressed; send them without Content-Encoding";

        private Api.Response post(String encoding, byte[] body) {
            return api.send(HttpRequest.newBuilder(api.uri("/api/models"))
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", encoding)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }

        @Test
        void shouldRefuseAPlainBodyLabelledGzip() {
            Api.Response response = post("gzip",
                    "{\"vocabSize\": 10}".getBytes(StandardCharsets.UTF_8));
            JsonNode problem = response.problem(415, "Content-Encoding");
            assertThat(problem.path("reason").asString()).isEqualTo(REASON);
            assertThat(response.header("Accept-Encoding")).isEqualTo("identity");
            assertNothingCreated();
        }

        @Test
        void shouldRefuseAGzipBody() throws IOException {
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
                out.write("{\"vocabSize\": 10}".getBytes(StandardCharsets.UTF_8));
            }
            JsonNode problem = post("gzip", gzipped.toByteArray())
                    .problem(415, "Content-Encoding");
            assertThat(problem.path("reason").asString()).isEqualTo(REASON);
            post("identity, br", "{}".getBytes(StandardCharsets.UTF_8))
                    .problem(415, "Content-Encoding");
            assertNothingCreated();
        }

        @Test
        void shouldNotJudgeARequestWithoutABody() {
            // some clients put the header on every request; a GET has no body it could describe
            Api.Response response = api.send(HttpRequest.newBuilder(api.uri("/api/models"))
                    .header("Content-Encoding", "gzip").GET().build());
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            Api.Response declaredEmpty = api.raw("GET", "/api/models",
                    "Content-Encoding: gzip\r\nContent-Length: 0\r\n", new byte[0]);
            assertThat(declaredEmpty.status()).as(declaredEmpty.text()).isEqualTo(200);
        }

        @Test
        void shouldReadABodyLabelledIdentity() {
            // read and checked as usual: the config error shows the body got through
            post("identity", "{\"vocabSize\": 10, \"dModel\": 0}"
                    .getBytes(StandardCharsets.UTF_8)).problem(400, "dModel");
            assertNothingCreated();
        }
    }

    @Nested
    class Routes {

        @Test
        void shouldAnswerUnknownRouteWithProblem() {
            Api.Response response = api.get("/api/nothing-here");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }

        @Test
        void shouldAnswerWrongMethodWithProblem() {
            Api.Response response = api.send(HttpRequest.newBuilder(api.uri("/api/models"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build());
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void shouldServeOpenApiDocument() {
        Api.Response response = api.get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("paths").has("/api/models/{id}/steps")).isTrue();
        assertThat(response.json().path("paths").has("/api/models/{id}/gradients/{name}"))
                .isTrue();
    }

    @Test
    void shouldServeSwaggerUi() {
        Api.Response response = api.get("/swagger-ui/index.html");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).containsIgnoringCase("swagger");
    }

    @Test
    void shouldReportHealthUp() {
        Api.Response response = api.get("/actuator/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("UP");
    }
}
