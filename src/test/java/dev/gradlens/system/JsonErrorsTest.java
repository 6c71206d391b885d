package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gradlens.model.CreateModelRequest;
import dev.gradlens.training.RunRequest;
import dev.gradlens.training.StepRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The field and reason {@link JsonErrors} gives for bodies the service's strict mapper refuses,
 * read from bytes as Spring's converter reads them. Reasons are plain words: no Java class,
 * Jackson feature or source description.
 */
class JsonErrorsTest {

    private static final JsonMapper MAPPER = strictMapper();

    private static JsonMapper strictMapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new JacksonConfig().strictJson().customize(builder);
        return builder.build();
    }

    /** What the service answers for {@code json} read as {@code type}. */
    private static ApiException refusal(String json, Class<?> type) {
        return refusal(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** What the service answers for {@code body} read as {@code type}. */
    private static ApiException refusal(byte[] body, Class<?> type) {
        try {
            MAPPER.readValue(new ByteArrayInputStream(body), type);
        } catch (JacksonException e) {
            return JsonErrors.describe(new HttpMessageNotReadableException("unreadable", e,
                    null));
        }
        return fail("read without error: " + new String(body, StandardCharsets.UTF_8));
    }

    /** {@code text} as ISO-8859-1 bytes: a way to write any byte, {@code \u00ff} for FF. */
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertRefused(byte[] body, Class<?> type, String field, String reason) {
        ApiException error = refusal(body, type);
        String shown = new String(body, StandardCharsets.UTF_8);
        assertThat(error.field()).as(shown).isEqualTo(field);
        assertThat(error.reason()).as(shown).isEqualTo(reason);
    }

    private static void assertRefused(String json, Class<?> type, String field, String reason) {
        ApiException error = refusal(json, type);
        assertThat(error.field()).as(json).isEqualTo(field);
        assertThat(error.reason()).as(json).isEqualTo(reason);
    }

    private static void assertModel(String json, String field, String reason) {
        assertRefused(json, CreateModelRequest.class, field, reason);
    }

    @Test
    void shouldCallNaNAndInfinityNoJsonNumber() {
        String reason = "not a JSON number (NaN and Infinity are not valid JSON)";
        assertModel("{\"optimizer\": {\"learningRate\": NaN}}", "optimizer.learningRate",
                reason);
        assertModel("{\"optimizer\": {\"beta1\": -Infinity}}", "optimizer.beta1", reason);
        assertModel("{\"optimizer\": {\"beta1\": Infinity}}", "optimizer.beta1", reason);
        assertRefused("{\"tokens\": [[1, 2], [3, NaN]]}", StepRequest.class, "tokens[1][1]",
                reason);
    }

    @Test
    void shouldNameTheExpectedTypeAndWhatCame() {
        assertModel("{\"vocabSize\": \"10\"}", "vocabSize", "expected an integer, not a string");
        assertModel("{\"dModel\": 16.5}", "dModel", "expected an integer, not 16.5");
        assertModel("{\"dModel\": 16.0}", "dModel", "expected an integer, not 16.0");
        assertModel("{\"causal\": \"yes\"}", "causal",
                "expected a boolean (true or false), not a string");
        assertModel("{\"causal\": 1}", "causal", "expected a boolean (true or false), not 1");
        assertModel("{\"norm\": 1}", "norm", "expected a string, not 1");
        assertModel("{\"norm\": {}}", "norm", "expected a string, not an object");
        assertModel("{\"norm\": [\"pre\"]}", "norm", "expected a string, not an array");
        assertModel("{\"optimizer\": []}", "optimizer", "expected an object, not an array");
        assertModel("{\"optimizer\": \"adam\"}", "optimizer", "expected an object, not a string");
        assertModel("[1, 2]", "body", "expected an object, not an array");
        assertModel("3", "body", "expected an object, not a number");
    }

    @Test
    void shouldNameArraysAndTheirElements() {
        assertRefused("{\"tokens\": {\"a\": 1}}", StepRequest.class, "tokens",
                "expected an array, not an object");
        assertRefused("{\"tokens\": [1, 2]}", StepRequest.class, "tokens[0]",
                "expected an array, not a number");
        assertRefused("{\"tokens\": [[1, 2], [3, \"x\"]]}", StepRequest.class, "tokens[1][1]",
                "expected an integer, not a string");
        assertRefused("{\"tokens\": [[1, 2.5]]}", StepRequest.class, "tokens[0][1]",
                "expected an integer, not 2.5");
        assertRefused("{\"texts\": \"abc\"}", StepRequest.class, "texts",
                "expected an array, not a string");
        assertRefused("{\"texts\": [1]}", StepRequest.class, "texts[0]",
                "expected a string, not 1");
    }

    @Test
    void shouldRefuseAnArrayWhereAStringBelongsEvenInAList() {
        // Jackson's list-of-strings reader took the first element of the inner array as the
        // string and then failed past the end of the body, naming no field
        String reason = "expected a string, not an array";
        assertRefused("{\"texts\": [[\"to be\"]]}", StepRequest.class, "texts[0]", reason);
        assertRefused("{\"texts\": [[\"to be\"], \"x\"]}", StepRequest.class, "texts[0]",
                reason);
        assertRefused("{\"texts\": [\"x\", [\"a\", \"b\"]]}", StepRequest.class, "texts[1]",
                reason);
        assertRefused("{\"texts\": [[\"to be\"]], \"update\": true}", StepRequest.class,
                "texts[0]", reason);
        assertRefused("{\"texts\": [[]]}", StepRequest.class, "texts[0]", reason);
        assertModel("{\"name\": [\"x\"]}", "name", reason);
        assertModel("{\"tokenizer\": {\"type\": [\"char\"]}}", "tokenizer.type", reason);
    }

    @Test
    void shouldNameAUuidAndQuoteTheStringGiven() {
        assertRefused("{\"datasetId\": \"not-a-uuid\"}", RunRequest.class, "datasetId",
                "expected a UUID, not \"not-a-uuid\"");
        assertRefused("{\"datasetId\": 5}", RunRequest.class, "datasetId",
                "expected a UUID, not a number");
    }

    @Test
    void shouldGiveTheRangeOfAnIntegerThatOverflows() {
        assertModel("{\"nLayers\": 99999999999}", "nLayers",
                "expected an integer between -2147483648 and 2147483647");
        assertModel("{\"seed\": 99999999999999999999999}", "seed",
                "expected an integer between -9223372036854775808 and 9223372036854775807");
    }

    @Test
    void shouldSayWhereTruncatedJsonEnds() {
        assertModel("{\"dModel\": 16,", "dModel",
                "the JSON ends too early (is the body truncated?) at line 1, column 15");
        assertModel("{\"dModel\": 16", "dModel",
                "the JSON ends too early (is the body truncated?) at line 1, column 14");
        assertModel("{\"name\": \"ab", "name", "the JSON ends too early inside a string "
                + "(is the body truncated?) at line 1, column 13");
        assertModel("{\"dMo", "body", "the JSON ends too early inside a field name "
                + "(is the body truncated?) at line 1, column 6");
    }

    @Test
    void shouldDescribeOtherSyntaxErrorsWithLineAndColumn() {
        assertModel("{\"vocabSize\": 10,}", "vocabSize", "expected a field name in double "
                + "quotes, found '}' (a trailing comma is not allowed in objects) at line 1, "
                + "column 18");
        assertModel("{'vocabSize': 10}", "body", "expected a field name in double quotes, "
                + "found \"'\" (JSON needs double quotes) at line 1, column 2");
        assertModel("{\"name\": \"x\",\n \"vocabSize\": 10 \"dModel\": 3}", "vocabSize",
                "expected ',' or '}', found '\"' at line 2, column 18");
        assertRefused("{\"tokens\": [[1 2]]}", StepRequest.class, "tokens[0][1]",
                "expected ',' or ']', found '2' at line 1, column 16");
        assertModel("{\"vocabSize\": tru}", "vocabSize", "unrecognized token 'tru': expected a "
                + "JSON value (a string in double quotes, a number, an array, an object, true, "
                + "false or null) at line 1, column 15");
        assertModel("{\"vocabSize\": 010}", "vocabSize",
                "not a valid JSON number (leading zeroes not allowed) at line 1, column 16");
        assertModel("{\"vocabSize\": +10}", "vocabSize",
                "not a valid JSON number (a leading '+' is not allowed) at line 1, column 16");
        assertModel("{\"vocabSize\": 1.}", "vocabSize", "not a valid JSON number (a digit must "
                + "follow the decimal point) at line 1, column 17");
        assertModel("{\"vocabSize\": 10 /* c */}", "vocabSize",
                "comments are not allowed in JSON at line 1, column 18");
        assertModel("{\"vocabSize\": 10]", "vocabSize",
                "unexpected ']', expected '}' at line 1, column 17");
        assertModel("{\"name\": \"a\\qb\"}", "name",
                "invalid escape '\\q' in a string at line 1, column 13");
        assertModel("{\"name\": \"a\tb\"}", "name",
                "control character U+0009 must be escaped inside a string at line 1, column 12");
        assertModel("{\"vocabSize\": 10} {}", "body",
                "unexpected content after the end of the JSON value at line 1, column 19");
    }

    @Test
    void shouldNotCallAReadStoppedInsideTheBodyContentAfterItsEnd() {
        // without StrictJsonInput, Jackson reads [["to be"]] as ["to be"] and stops at the
        // outer ']': the '}' left over is no content after the end of the body
        JsonMapper lenient = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        try {
            lenient.readValue("{\"texts\": [[\"to be\"]]}", StepRequest.class);
            fail("read without error");
        } catch (JacksonException e) {
            assertThat(JsonErrors.reasonOf(e))
                    .isEqualTo("cannot be read as the expected JSON at line 1, column 22");
        }
    }

    @Test
    void shouldSayWhatIsMissingBetweenTokens() {
        assertModel("{\"dModel\" 32}", "dModel",
                "expected ':' after the field name, found '3' at line 1, column 11");
        assertRefused("{\"tokens\": [[1,2,3],]}", StepRequest.class, "tokens[1]",
                "expected a JSON value, found ']' (a trailing comma is not allowed in arrays) "
                        + "at line 1, column 21");
        assertModel("{\"name\": \"a\\u12G4\"}", "name", "invalid \\u escape in a string: "
                + "expected 4 hex digits, found 'G' at line 1, column 16");
        assertModel("{\"dModel\": 1}]", "body",
                "unexpected ']': no array is open here at line 1, column 14");
        assertModel("{\"dModel\": -x}", "dModel",
                "not a valid JSON number (a digit must follow the minus sign) at line 1, column 13");
        assertModel("{\"dModel\": ab\u0001c}", "dModel", "unrecognized token 'ab\\u0001c': "
                + "expected a JSON value (a string in double quotes, a number, an array, an "
                + "object, true, false or null) at line 1, column 12");
    }

    @Test
    void shouldNameAControlCharacterBetweenTokens() {
        String reason = "is not allowed here; only spaces, tabs and line breaks may separate "
                + "JSON tokens";
        assertModel("{\u0001\"dModel\": 32}", "body",
                "a control character (U+0001) " + reason + " at line 1, column 2");
        assertModel("{\"dModel\": 3\u0000}", "dModel",
                "a control character (U+0000) " + reason + " at line 1, column 13");
        assertModel("{\"dModel\": 3}\u001f", "body",
                "a control character (U+001F) " + reason + " at line 1, column 14");
    }

    @Test
    void shouldNameANonAsciiCharacterTheParserDecodedWhereItStarts() {
        assertModel("{\u201cdModel\u201d: 32}", "body", "expected a field name in double quotes, "
                + "found '\u201c' (U+201C, JSON needs straight double quotes) at line 1, column 2");
        assertModel("{\u00a0\"dModel\": 32}", "body", "expected a field name in double quotes, "
                + "found a space other than U+0020 (U+00A0) at line 1, column 2");
        assertModel("{\"dModel\": 3,\ufeff\"nHeads\": 1}", "dModel", "expected a field name in "
                + "double quotes, found a byte-order mark (U+FEFF) at line 1, column 14");
    }

    @Test
    void shouldNotCallValidUtf8InvalidWhereTheParserCannotTell() {
        // é is C3 A9: the parser takes C3 alone, then calls A9 an invalid first byte
        String either = "an unexpected non-ASCII character or bytes that are not UTF-8";
        assertModel("{\"dModel\": \u00e9}", "dModel", either + " at line 1, column 12");
        assertModel("{\"dModel\": \ud83d\ude00}", "dModel", either + " at line 1, column 12");
        assertModel("{\"dModel\":\u00a032}", "dModel", either + " at line 1, column 11");
        assertModel("{\"dModel\":\ufeff32}", "dModel", either + " at line 1, column 11");
        assertModel("{\"dModel\": 1}\ud83d\ude00", "body", either + " at line 1, column 14");
        // after a value the parser shows the first byte of the character alone ('Ã' for C3)
        assertModel("{\"dModel\": 3\u00e9}", "dModel", "expected ',' or '}', found a non-ASCII "
                + "character or bytes that are not UTF-8 at line 1, column 13");
        assertModel("{\"dModel\": 3\ud83d\ude00}", "dModel", "expected ',' or '}', found a "
                + "non-ASCII character or bytes that are not UTF-8 at line 1, column 13");
    }

    @Test
    void shouldCallBytesThatAreNotUtf8So() {
        assertRefused(bytes("{\"name\": \"caf\u00e9\"}"), CreateModelRequest.class, "name",
                "bytes that are not UTF-8 at line 1, column 14");
        assertRefused(bytes("{\"name\": \"\u00ff\"}"), CreateModelRequest.class, "name",
                "bytes that are not UTF-8 at line 1, column 11");
        assertRefused(bytes("{\"dModel\": \u00ff}"), CreateModelRequest.class, "dModel",
                "bytes that are not UTF-8 at line 1, column 12");
        assertRefused(bytes("{\"name\": \"\u00ed\u00a0\u0080\"}"), CreateModelRequest.class,
                "name", "bytes that are not UTF-8 (a UTF-16 surrogate encoded as UTF-8) at "
                        + "line 1, column 11");
    }

    /** Bodies that reach the parser's rarer messages. */
    static Stream<byte[]> oddBodies() {
        return Stream.concat(Stream.of(
                "{\u0001\"dModel\": 32}", "{\"dModel\": 3\u0000}", "{\u201cdModel\u201d: 32}",
                "{\"dModel\": \u00e9}", "{\"dModel\": 3\u00e9}", "{\"dModel\": \ud83d\ude00}",
                "{\ud83d\ude00: 1}", "{\ud83e\udd14: 1}", "{\"dModel\":\u00a032}",
                "{\"dModel\": 3,\ufeff\"nHeads\": 1}", "{\"dModel\" 32}",
                "{\"name\": \"a\\u12G4\"}", "{\"dModel\": 1}]", "{\"a\":}", "{\"dModel\": -x}",
                "{\"dModel\": 1e}", "1x", "{\"name\": \"a\\\u0001\"}", "{\"name\": \"a\\\u00e9\"}",
                "{\"dModel\": ab\u0001c}", "{\"dModel\": \u201c3\u201d}", "{\"name\": \"x\"\u200b}",
                "{\"name\": \"a\u001fb\"}", "{\"dModel\": 3.\u00e9}", "{\"a\": [1,,2]}",
                "{\"dModel\": 1} 2", "{\"dModel\": 1 /", "{\"dModel\": 1} \u001e",
                "{\"dModel\": " + "1".repeat(2000) + "}")
                .map(text -> text.getBytes(StandardCharsets.UTF_8)), Stream.of(
                "{\"name\": \"caf\u00e9\"}", "{\"name\": \"\u00ff\"}", "{\"dModel\": \u00ff}",
                "{\"name\": \"\u00ed\u00a0\u0080\"}", "{\u00ff}", "{\"dModel\": \u00c3(}",
                "{\"n\u00a9ame\": 1}", "\u00fe\u00ff{}")
                .map(JsonErrorsTest::bytes));
    }

    @ParameterizedTest
    @MethodSource("oddBodies")
    void shouldNeverPassOnTheParsersWording(byte[] body) {
        ApiException error = refusal(body, CreateModelRequest.class);
        assertThat(error.reason()).as(new String(body, StandardCharsets.UTF_8)).isNotBlank()
                .doesNotContain("code ", "0x", "CTRL-CHAR", "was expecting", "Illegal",
                        "Unexpected", "Unrecognized", "Invalid", "`", "REDACTED", "Source:")
                .doesNotContainIgnoringCase("java").doesNotContainIgnoringCase("jackson");
    }

    @Test
    void shouldListTheKnownFieldsOfAnUnknownOne() {
        assertModel("{\"optimizer\": {\"lr\": 0.1}}", "optimizer.lr", "unknown field (the "
                + "fields here are: type, learningRate, momentum, beta1, beta2, epsilon, "
                + "weightDecay, gradClip, schedule, warmupSteps, decaySteps, minLearningRate)");
    }

    @Test
    void shouldSayAFieldGivenTwice() {
        assertModel("{\"vocabSize\": 10, \"vocabSize\": 11}", "vocabSize",
                "is given more than once in the same object");
    }

    @Test
    void shouldSayAnEmptyBodyIsEmpty() {
        assertModel("  ", "body", "the request body is empty; expected an object");
    }

    @Test
    void shouldNameTheFieldAndPlaceOfANumberPastTheParsersLimit() {
        assertModel("{\"seed\": " + "1".repeat(1200) + "}", "seed",
                "the number has 1200 digits (at most 1000 are allowed) at line 1, column 2");
        assertModel("{\"name\": \"x\",\n \"dModel\": " + "1".repeat(2000) + "}", "dModel",
                "the number has 2000 digits (at most 1000 are allowed) at line 2, column 2");
        assertModel("{\"optimizer\": {\"learningRate\": 0." + "1".repeat(1200) + "}}",
                "optimizer.learningRate",
                "the number has 1201 digits (at most 1000 are allowed) at line 1, column 16");
        assertRefused("{\"tokens\": [[1, " + "1".repeat(2000) + "]]}", StepRequest.class,
                "tokens[0][1]",
                "the number has 2000 digits (at most 1000 are allowed) at line 1, column 17");
        assertModel("1".repeat(2000), "body",
                "the number has 2000 digits (at most 1000 are allowed)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"optimizer\": {\"learningRate\": NaN}}", "{\"vocabSize\": \"10\"}",
        "{\"dModel\": 16.5}", "{\"nLayers\": 99999999999}", "{\"norm\": {}}",
        "{\"optimizer\": 3}", "\"x\"", "{\"dModel\": 16", "{\"dModel\": 16,", "{\"dMo",
        "{\"vocabSize\": 10} x", "{\"vocabSize\": 10} {}", "{vocabSize: 10}",
        "{\"vocabSize\": .5}", "{\"vocabSize\": -}", "{\"vocabSize\": 10]", "[1, 2",
        "{\"name\": \"\u0001\"}", "{\"vocabSize\": 1, \"dModel\": 2 3}", "",
        "{\"tokenizer\": {\"type\": \"char\", \"corpus\": 5}}", "{\"seed\": 1.5e400}"})
    void shouldNeverNameJavaOrJacksonInternals(String json) {
        ApiException error = refusal(json, CreateModelRequest.class);
        assertThat(error.reason()).as(json).isNotBlank()
                .doesNotContain("`", "java.", "Jackson", "Feature", "Source:", "REDACTED",
                        "JsonToken", "coerc", "Coerc", "dev.gradlens", "Creator", "#UNKNOWN");
    }

    @Test
    void shouldNameTheExpectedTypeOfAQueryOrPathValue() {
        assertThat(JsonErrors.expectedOf(int.class)).isEqualTo("an integer");
        assertThat(JsonErrors.expectedOf(Long.class)).isEqualTo("an integer");
        assertThat(JsonErrors.expectedOf(double.class)).isEqualTo("a number");
        assertThat(JsonErrors.expectedOf(UUID.class)).isEqualTo("a UUID");
        assertThat(JsonErrors.expectedOf(String.class)).isEqualTo("a string");
        assertThat(JsonErrors.expectedOf(int[].class)).isEqualTo("an array");
        assertThat(JsonErrors.expectedOf(java.time.Instant.class)).isNull();
    }
}
