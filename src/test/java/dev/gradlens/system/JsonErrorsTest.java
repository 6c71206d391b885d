package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gradlens.model.CreateModelRequest;
import dev.gradlens.training.RunRequest;
import dev.gradlens.training.StepRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
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
        try {
            MAPPER.readValue(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    type);
        } catch (JacksonException e) {
            return JsonErrors.describe(new HttpMessageNotReadableException("unreadable", e,
                    null));
        }
        return fail("read without error: " + json);
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
                + "quotes, found '}' (a trailing comma?) at line 1, column 18");
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
    void shouldGiveALimitOfTheParserWithoutItsGetterName() {
        assertModel("{\"seed\": " + "1".repeat(1200) + "}", "body",
                "number value length (1200) exceeds the maximum allowed (1000)");
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
