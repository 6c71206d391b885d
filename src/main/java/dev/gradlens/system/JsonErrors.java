package dev.gradlens.system;

import java.util.List;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns Jackson's reading errors into an {@link ApiException} naming the JSON field at fault. */
final class JsonErrors {

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

    private static String reasonOf(JacksonException error) {
        if (error instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        String message = firstLine(error.getOriginalMessage());
        if (error instanceof InvalidFormatException || error instanceof MismatchedInputException) {
            return "wrong type or value: " + message;
        }
        if (error instanceof StreamReadException) {
            return "malformed JSON: " + message;
        }
        return message;
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
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
