package dev.gradlens.system;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns Jackson's reading errors into an {@link ApiException} naming the JSON field at fault,
 * with a reason in plain words: what JSON was expected there (derived from the Java type the
 * value was bound to, never naming it), or what is wrong with the text and where (line and
 * column). Jackson's own messages name Java classes, parser features and a redacted source; they
 * are not passed on.
 */
final class JsonErrors {

    private static final Pattern UNRECOGNIZED_TOKEN =
            Pattern.compile("^Unrecognized token '(.*?)': was expecting");
    private static final Pattern UNEXPECTED_CHARACTER =
            Pattern.compile("^Unexpected character \\('(.)' \\(code \\d+\\)\\)(.*)$");
    private static final Pattern CONTROL_CHARACTER =
            Pattern.compile("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern BAD_ESCAPE =
            Pattern.compile("^Unrecognized character escape '(.)'");
    private static final Pattern CLOSE_MARKER =
            Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
    private static final String JSON_VALUE =
            "a JSON value (a string in double quotes, a number, an array, an object, true, false "
                    + "or null)";

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
            return syntax(error, message) + at(error.getLocation());
        }
        if (error instanceof StreamConstraintsException) {
            // "Number value length (1200) exceeds the maximum allowed (1000, from `...`)"
            String text = plain(message);
            return text != null ? text : "the JSON is past a size or nesting limit of the parser";
        }
        return "cannot be read as the expected JSON" + at(error.getLocation());
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
            return "unexpected content after the end of the JSON value"
                    + at(error.getLocation());
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

    /** What is wrong with the JSON text, in words (the location is added by the caller). */
    private static String syntax(JacksonException error, String message) {
        if (error instanceof UnexpectedEndOfInputException
                || message.startsWith("Unexpected end-of-input")) {
            JsonToken inside = error instanceof UnexpectedEndOfInputException end
                    ? end.getTokenBeingDecoded() : null;
            String where = inside == JsonToken.VALUE_STRING || message.contains("closing quote")
                    ? " inside a string"
                    : message.contains("property name") ? " inside a field name" : "";
            return "the JSON ends too early" + where + " (is the body truncated?)";
        }
        Matcher m = UNRECOGNIZED_TOKEN.matcher(message);
        if (m.find()) {
            return "unrecognized token '" + m.group(1) + "': expected " + JSON_VALUE;
        }
        m = UNEXPECTED_CHARACTER.matcher(message);
        if (m.find()) {
            return unexpectedCharacter(m.group(1).charAt(0), m.group(2));
        }
        if (message.startsWith("Invalid numeric value: ")) {
            String detail = plain(message.substring("Invalid numeric value: ".length()));
            return "not a valid JSON number" + (detail == null ? "" : " (" + detail + ")");
        }
        m = CONTROL_CHARACTER.matcher(message);
        if (m.find()) {
            return "control character " + codePoint(Integer.parseInt(m.group(1)))
                    + " must be escaped inside a string";
        }
        m = BAD_ESCAPE.matcher(message);
        if (m.find()) {
            return "invalid escape '\\" + m.group(1) + "' in a string";
        }
        m = CLOSE_MARKER.matcher(message);
        if (m.find()) {
            return "unexpected '" + m.group(1) + "', expected '" + m.group(2) + "'";
        }
        String text = plain(message);
        return text == null ? "not valid JSON" : "not valid JSON: " + text;
    }

    private static String unexpectedCharacter(char c, String rest) {
        String found = "found " + shown(c);
        if (rest.contains("double-quote to start property name")) {
            return "expected a field name in double quotes, " + found
                    + (c == '}' ? " (a trailing comma?)" : "");
        }
        if (rest.contains("comma to separate Object entries")) {
            return "expected ',' or '}', " + found;
        }
        if (rest.contains("comma to separate Array entries")) {
            return "expected ',' or ']', " + found;
        }
        if (rest.contains("comment")) {
            return "comments are not allowed in JSON";
        }
        if (rest.contains("numeric value")) {
            if (rest.contains("plus sign")) {
                return "not a valid JSON number (a leading '+' is not allowed)";
            }
            if (rest.contains("Decimal point not followed by a digit")) {
                return "not a valid JSON number (a digit must follow the decimal point)";
            }
            return "not a valid JSON number, " + found;
        }
        if (rest.contains("expected a valid value")) {
            return "expected " + JSON_VALUE + ", " + found;
        }
        return "unexpected character " + shown(c);
    }

    private static String shown(char c) {
        if (c == '\'') {
            return "\"'\" (JSON needs double quotes)";
        }
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? codePoint(c) : "'" + c + "'";
    }

    private static String codePoint(int c) {
        return String.format(Locale.ROOT, "U+%04X", c);
    }

    /**
     * {@code message} without what names Jackson's internals: the source description, feature
     * flags, limits' getter names, character codes; first letter in lower case. Null when
     * something of the kind is left (or nothing at all).
     */
    static String plain(String message) {
        String text = message
                .replaceAll("\\s*\\((?:for \\w+ starting at|start marker at) \\[Source:.*?\\]\\)",
                        "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                .replaceAll(":?\\s*enable `[^`]*` to allow", "")
                .replaceAll(", from `[^`]*`", "")
                .replaceAll("\\s*\\(code \\d+\\)", "")
                .strip();
        if (text.isEmpty() || text.contains("`") || text.contains("Feature")
                || text.contains("java.") || text.contains("Source:")
                || text.contains("JsonToken")) {
            return null;
        }
        return lowerFirst(text);
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text
                : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /** " at line 3, column 14", or nothing when the parser did not know. */
    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * {@code a.b[2][0]}: for a syntax error the parser's position (which names the value being
     * read), else the path databind recorded.
     */
    static String fieldOf(JacksonException error) {
        if (error instanceof StreamReadException && error.processor() instanceof JsonParser parser
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
