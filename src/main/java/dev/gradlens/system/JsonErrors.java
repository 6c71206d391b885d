package dev.gradlens.system;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns Jackson's reading errors into an {@link ApiException} naming the JSON field at fault,
 * with a reason in plain words: what JSON was expected there (derived from the Java type the
 * value was bound to, never naming it), or what is wrong with the text and where (line and
 * column, worded by {@link JsonSyntaxErrors}). Jackson's own messages name Java classes, parser
 * features and a redacted source; they are not passed on.
 */
final class JsonErrors {

    /** The parser's limits: what is measured, how much there was, how much is allowed. */
    private static final Pattern LIMIT = Pattern.compile("^(Number value length|String value "
            + "length|Name length|Document nesting depth) \\((\\d+)\\) exceeds the maximum "
            + "allowed \\((\\d+)");

    private JsonErrors() {
    }

    static ApiException describe(HttpMessageNotReadableException error) {
        JacksonException jackson = jacksonCause(error);
        if (jackson == null) {
            return ApiException.invalid("body", "request body is missing or unreadable");
        }
        String field = fieldOf(jackson);
        return ApiException.invalid(field, reasonOf(jackson));
    }

    /** The reason of {@code error} in words for the client; never a Java or Jackson name. */
    static String reasonOf(JacksonException error) {
        String message = firstLine(error.getOriginalMessage());
        if (error instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown.getKnownPropertyIds());
        }
        if (error instanceof MismatchedInputException mismatch) {
            return mismatch(mismatch, message);
        }
        if (error instanceof InputCoercionException coercion) {
            return outOfRange(coercion.getTargetType());
        }
        if (error instanceof StreamReadException) {
            if (message.startsWith("Non-standard token")) {
                return "not a JSON number (NaN and Infinity are not valid JSON)";
            }
            if (message.startsWith("Duplicate Object property")) {
                return "is given more than once in the same object";
            }
            return JsonSyntaxErrors.describe(error, message);
        }
        if (error instanceof StreamConstraintsException) {
            return pastLimit(message) + at(error.getLocation());
        }
        return unreadable(error);
    }

    private static String unreadable(JacksonException error) {
        return "cannot be read as the expected JSON" + at(error.getLocation());
    }

    /** "Number value length (1200) exceeds the maximum allowed (1000, from `...`)", in words. */
    private static String pastLimit(String message) {
        Matcher m = LIMIT.matcher(message);
        if (!m.find()) {
            return "the JSON is past a size or nesting limit of the parser";
        }
        String allowed = m.group(3);
        return switch (m.group(1)) {
            case "Number value length" -> "the number has " + m.group(2) + " digits (at most "
                    + allowed + " are allowed)";
            case "String value length" -> "the string is longer than the " + allowed
                    + " characters allowed";
            case "Name length" -> "the field name is longer than the " + allowed
                    + " characters allowed";
            default -> "the JSON nests arrays and objects more than " + allowed
                    + " levels deep";
        };
    }

    private static String unknownField(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "unknown field";
        }
        return "unknown field (the fields here are: " + known.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")";
    }

    /** A value of the wrong JSON type, no body at all, or a second value after the first. */
    private static String mismatch(MismatchedInputException error, String message) {
        if (message.startsWith("No content to map")) {
            String expected = expectedOf(error.getTargetType());
            return "the request body is empty; expected " + (expected == null ? "JSON" : expected);
        }
        if (message.startsWith("Trailing token")) {
            return trailing(error);
        }
        String expected = expectedOf(error.getTargetType());
        if (expected == null) {
            return "has the wrong type or value";
        }
        JsonToken token = error.getCurrentToken();
        String found = kindOf(token);
        Object value = error instanceof InvalidFormatException format ? format.getValue() : null;
        if (value != null && sameKind(value, token) && valueOf(value) != null) {
            found = valueOf(value); // the client's own scalar: 16.5, 1, "abc"
        }
        return "expected " + expected + (found == null ? "" : ", not " + found);
    }

    /**
     * Content after the value that was read. The parser checks that every array and object is
     * closed, so a close or a field name there means reading stopped inside the body, at a value
     * of a shape it did not expect: that is not content after the end.
     */
    private static String trailing(MismatchedInputException error) {
        JsonToken token = error.getCurrentToken();
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY
                || token == JsonToken.PROPERTY_NAME) {
            return unreadable(error);
        }
        return "unexpected content after the end of the JSON value" + at(error.getLocation());
    }

    /**
     * What JSON a value bound to {@code type} must be: "an integer", "a number", "a string",
     * "a boolean", "an array", "an object", or null when the type says nothing a client could use.
     */
    static String expectedOf(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class
                || type == byte.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class
                || type == float.class || type == BigDecimal.class || type == Number.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class
                || type == char.class || type.isEnum()) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type.isPrimitive() || type.getName().startsWith("java.")) {
            return null;
        }
        return "an object"; // the service's request records
    }

    private static String outOfRange(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "expected an integer between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "expected an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        return "the number is out of range";
    }

    /** The kind of JSON value a token starts, as the client wrote it. */
    private static String kindOf(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> null;
        };
    }

    /** Whether {@code value} is what {@code token} was (a UUID's int arrives as a String). */
    private static boolean sameKind(Object value, JsonToken token) {
        if (token == null) {
            return true;
        }
        if (value instanceof String) {
            return token == JsonToken.VALUE_STRING;
        }
        if (value instanceof Number) {
            return token.isNumeric();
        }
        return value instanceof Boolean && token.isBoolean();
    }

    /** A scalar the client sent: {@code 16.5}, {@code true}, or a string in quotes. */
    private static String valueOf(Object value) {
        if (value instanceof String text) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            return "\"" + shown + "\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return null;
    }

    private static String at(TokenStreamLocation location) {
        return JsonSyntaxErrors.at(location, 0);
    }

    /**
     * {@code a.b[2][0]}: for a syntax error or a parser limit the parser's position (which
     * names the value being read), else the path databind recorded.
     */
    static String fieldOf(JacksonException error) {
        boolean parsing = error instanceof StreamReadException
                || error instanceof StreamConstraintsException;
        if (parsing && error.processor() instanceof JsonParser parser
                && parser.streamReadContext() != null) {
            String fromPointer =
                    renderPointer(parser.streamReadContext().pathAsPointer().toString());
            if (!fromPointer.isEmpty()) {
                return fromPointer;
            }
        }
        String fromPath = render(error.getPath());
        return fromPath.isEmpty() ? "body" : fromPath;
    }

    private static String render(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String renderPointer(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                out.append('[').append(segment).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.toString();
    }

    private static JacksonException jacksonCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
