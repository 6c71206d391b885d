package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.Fixtures;
import dev.gradlens.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * JSON bodies are held to UTF-8 (RFC 8259 8.1) before Jackson reads them ({@link
 * Utf8JsonFilter}): bytes Jackson would decode leniently into other characters, and bodies it
 * would read as UTF-16 or UTF-32, are refused naming {@code body} and where, and create nothing.
 */
@IntegrationTest
class Utf8BodyIntegrationTests extends BadInputFixture {

    /**
     * Overlong forms, then forms past U+10FFFF, all once taken by Jackson as text; the
     * parameterized tests list them again, as annotations take no array constant.
     */
    static final String[] NOT_UTF8 = {"C0AF", "C1BF", "C0A0", "E08080", "F5808080", "F4908080"};

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] raw ? raw
                    : ((String) part).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    Api.Response post(String path, String contentType, byte[] body) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Api.Response post(String path, byte[] body) {
        return post(path, "application/json", body);
    }

    /** Asserts 400 {@code body} with exactly {@code reason}. */
    void assertRefused(Api.Response response, String reason) {
        assertThat(response.problem(400, "body").path("reason").asString()).isEqualTo(reason);
    }

    @Nested
    class BytesThatAreNotUtf8 {

        @ParameterizedTest
        @ValueSource(strings = {"C0AF", "C1BF", "C0A0", "E08080", "F5808080", "F4908080"})
        void shouldRefuseThemInAModelName(String sequence) {
            // line 2 is `  "name": "x` then the bytes: 12 bytes before them
            assertRefused(post("/api/models", bytes("{\"vocabSize\": 5,\n  \"name\": \"x",
                    hex(sequence), "y\"}")), "bytes that are not UTF-8 at line 2, column 13");
            assertNothingCreated();
        }

        @ParameterizedTest
        @ValueSource(strings = {"C0AF", "C1BF", "C0A0", "E08080", "F5808080", "F4908080"})
        void shouldRefuseThemInACorpus(String sequence) {
            // CR LF ends a line: line 2 is `"corpus": "ab` then the bytes
            assertRefused(post("/api/models", bytes("{\"tokenizer\": {\"type\": \"char\",\r\n"
                    + "\"corpus\": \"ab", hex(sequence), "\"}}")),
                    "bytes that are not UTF-8 at line 2, column 14");
            assertNothingCreated();
        }

        @Test
        void shouldRefuseThemInAStepTextAndTakeNoStep() {
            String steps = "/api/models/" + Fixtures.createTiny(api) + "/steps";
            for (String sequence : NOT_UTF8) {
                // `{"texts": ["hel` is 15 bytes
                assertRefused(post(steps, bytes("{\"texts\": [\"hel", hex(sequence), "lo\"]}")),
                        "bytes that are not UTF-8 at line 1, column 16");
            }
            assertThat(api.get(steps).ok(200).path("totalElements").asLong()).isZero();
        }

        @Test
        void shouldRefuseThemInAnyJsonMediaTypeAndChunkedBodies() {
            byte[] body = bytes("{\"name\": \"x", hex("C0AF"), "\"}");
            assertRefused(post("/api/models", "application/merge-patch+json", body),
                    "bytes that are not UTF-8 at line 1, column 12");
            assertRefused(api.send(chunked(body)), "bytes that are not UTF-8 at line 1, column 12");
            assertNothingCreated();
        }
    }

    @Nested
    class NulBytes {

        @Test
        void shouldRefuseANulByteNamingTheLikelyEncoding() {
            assertRefused(post("/api/models", bytes("{", new byte[] {0}, "\"name\":\"x\"}")),
                    "a NUL byte at line 1, column 2 (byte 2 of the body): JSON text must be "
                            + "UTF-8, and NUL is never valid in it (was the body sent as UTF-16 "
                            + "or UTF-32?)");
            assertNothingCreated();
        }

        @Test
        void shouldRefuseWholeBodiesInUtf16AndUtf32() {
            String json = "{\"vocabSize\": 5, \"name\": \"x\"}";
            List<Object[]> cases = List.of(
                    new Object[] {StandardCharsets.UTF_16LE, "line 1, column 2 (byte 2 "},
                    new Object[] {StandardCharsets.UTF_16BE, "line 1, column 1 (byte 1 "},
                    // Java's UTF-16 starts with the big-endian mark FE FF
                    new Object[] {StandardCharsets.UTF_16, "line 1, column 3 (byte 3 "},
                    new Object[] {Charset.forName("UTF-32LE"), "line 1, column 2 (byte 2 "});
            for (Object[] each : cases) {
                byte[] body = json.getBytes((Charset) each[0]);
                assertThat(post("/api/models", body).problem(400, "body").path("reason")
                        .asString()).as(each[0].toString())
                        .startsWith("a NUL byte at " + each[1]);
            }
            assertNothingCreated();
        }
    }

    @Nested
    class DeclaredCharset {

        @Test
        void shouldRefuseACharsetOtherThanUtf8With415() {
            byte[] utf16 = "{\"vocabSize\": 5}".getBytes(StandardCharsets.UTF_16);
            JsonNode problem = post("/api/models", "application/json; charset=UTF-16", utf16)
                    .problem(415, "Content-Type");
            assertThat(problem.path("reason").asString()).isEqualTo(
                    "JSON bodies must be UTF-8 (RFC 8259); this one declares charset=UTF-16");
            // ASCII is the same bytes in Latin-1: refused for what it declares all the same
            post("/api/models", "application/json;charset=\"ISO-8859-1\"",
                    bytes("{\"vocabSize\": 5}")).problem(415, "Content-Type");
            assertNothingCreated();
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json; charset=UTF-8", "application/json;charset=utf8",
                "application/json; charset=\"utf-8\"", "application/json"})
        void shouldAcceptUtf8DeclaredOrNot(String contentType) {
            post("/api/models", contentType, bytes("{\"vocabSize\": 5}")).ok(201);
        }
    }

    @Nested
    class ValidBodies {

        @Test
        void shouldAcceptNonAsciiTextAndALeadingByteOrderMark() {
            String name = "caf\u00e9 \ud83d\ude00";
            JsonNode created = post("/api/models", bytes(BOM, "{\"vocabSize\": 5, \"name\": \""
                    + name + "\"}")).ok(201);
            assertThat(created.path("name").asString()).isEqualTo(name);
            String id = created.path("id").asString();
            assertThat(api.get("/api/models/" + id).ok(200).path("name").asString())
                    .isEqualTo(name);
        }

        @Test
        void shouldReadAChunkedBodyWhole() {
            String name = "chunked \u00e9";
            assertThat(api.send(chunked(bytes("{\"vocabSize\": 5, \"name\": \"" + name + "\"}")))
                    .ok(201).path("name").asString()).isEqualTo(name);
        }

        @Test
        void shouldStillPlaceSyntaxErrorsAfterAByteOrderMarkCountingIt() {
            // the parser counts the mark's three bytes in the column, as the UTF-8 check does
            JsonNode problem = post("/api/models", bytes(BOM, "{\"vocabSize\": 5]"))
                    .problem(400, "vocabSize");
            assertThat(problem.path("reason").asString())
                    .isEqualTo("unexpected ']', expected '}' at line 1, column 19");
            assertNothingCreated();
        }
    }

    @Nested
    class Limits {

        @Test
        void shouldRefuseAChunkedBodyPastTheLimitWhileReadingIt() {
            long limit = properties.getLimits().getMaxRequestBytes();
            byte[] body = bytes("{\"tokenizer\": {\"type\": \"char\", \"corpus\": \""
                    + "a".repeat((int) limit + 10) + "\"}}");
            JsonNode problem = api.send(chunked(body)).problem(413, "body");
            assertThat(problem.path("reason").asString()).isEqualTo("request body is larger "
                    + "than the limit of " + limit + " bytes (gradlens.limits.max-request-bytes)");
            assertNothingCreated();
        }

        @Test
        void shouldAnswer400ToABodyShorterThanItsContentLength() {
            // the client closes its side after 16 of the 100 bytes declared; Tomcat answers
            // 400 through the error page, as it did when Jackson read the body
            Api.Response response = api.raw("POST", "/api/models", "Content-Type: "
                    + "application/json\r\nContent-Length: 100\r\n", bytes("{\"vocabSize\": 5}"));
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertNothingCreated();
        }

        @Test
        void shouldLeavePlainTextDatasetUploadsToTheirOwnCheck() {
            JsonNode problem = post("/api/datasets", "text/plain", bytes("ab", hex("C0AF")))
                    .problem(400, "body");
            assertThat(problem.path("reason").asString()).isEqualTo("is not valid UTF-8 text");
        }
    }

    /** A POST of {@code body} as JSON without a known length: the client sends it chunked. */
    HttpRequest chunked(byte[] body) {
        return HttpRequest.newBuilder(api.uri("/api/models"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body)))
                .build();
    }
}
