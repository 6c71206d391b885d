package dev.gradlens.system;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * Why a body is not valid JSON text, in words, and where: lines and columns from 1, a column
 * counting bytes of the UTF-8 text. The parser's messages are matched against a list of known
 * forms ({@link #FORMS}) and reworded; a message of any other form gives only "not valid JSON" and
 * the position, never the parser's text.
 *
 * <p>Jackson's UTF-8 parser shows some characters as the first byte of their UTF-8 form taken
 * alone ('Ã' for the C3 of "é"), and a valid character where a value should start as an invalid
 * byte (it takes the first byte alone and fails on the second). Where the message cannot tell
 * a character that does not belong from bytes that are not UTF-8, the reason names both.
 *
 * <p>Over HTTP, {@link Utf8JsonFilter} has already refused bodies that are not UTF-8, so there
 * such a reason always means a non-ASCII character in the wrong place; the wording here still
 * covers any bytes, as the parser can be given any (the unit tests do).
 */
final class JsonSyntaxErrors {

    private static final String JSON_VALUE =
            "a JSON value (a string in double quotes, a number, an array, an object, true, false "
                    + "or null)";
    private static final String NOT_UTF8 = "bytes that are not UTF-8";
    private static final String NON_ASCII_OR_NOT_UTF8 =
            "a non-ASCII character or " + NOT_UTF8;

    /**
     * How the parser shows a character: {@code 'x' (code 120)}, {@code '“' (code 8220 /
     * 0x201c)} or {@code (CTRL-CHAR, code 1)}; the code is in the first or second group.
     */
    private static final String CHAR =
            "(?:'.+?' \\(code (\\d+)(?: / 0x\\p{XDigit}+)?\\)|\\(CTRL-CHAR, code (\\d+)\\))";

    /** A message form of the parser and its wording (the position included). */
    private record Form(Pattern pattern,
            BiFunction<Matcher, TokenStreamLocation, String> wording) {
    }

    private static Form form(String regex,
            BiFunction<Matcher, TokenStreamLocation, String> wording) {
        return new Form(Pattern.compile(regex, Pattern.DOTALL), wording);
    }

    /** The parser's messages that are reworded; anything else is "not valid JSON". */
    private static final List<Form> FORMS = List.of(
            form("^Unexpected character \\(" + CHAR + "\\)( in numeric value)?(?:: (.*))?$",
                    JsonSyntaxErrors::unexpectedCharacter),
            form("^Unrecognized token '(.*)': was expecting", JsonSyntaxErrors::unrecognizedToken),
            form("^Illegal character \\(" + CHAR + "\\): only regular white space",
                    JsonSyntaxErrors::controlBetweenTokens),
            form("^Illegal unquoted character \\(" + CHAR + "\\): has to be escaped.* in (.*)$",
                    JsonSyntaxErrors::controlInString),
            form("^Unrecognized character escape " + CHAR, JsonSyntaxErrors::badEscape),
            form("^Unexpected close marker '(.)': expected '(.)'", JsonSyntaxErrors::wrongClose),
            form("^Unexpected close marker '(.)': no open", JsonSyntaxErrors::nothingToClose),
            form("^Invalid numeric value: (Leading zeroes not allowed)?",
                    JsonSyntaxErrors::badNumber),
            form("^Invalid UTF-8 (start|middle) byte 0x(\\p{XDigit}+)",
                    JsonSyntaxErrors::badByte),
            form("^Invalid UTF-8: Illegal surrogate", JsonSyntaxErrors::encodedSurrogate));

    private JsonSyntaxErrors() {
    }

    /** What is wrong with the JSON text that {@code error} stopped at, and where. */
    static String describe(JacksonException error, String message) {
        TokenStreamLocation location = error.getLocation();
        if (error instanceof UnexpectedEndOfInputException
                || message.startsWith("Unexpected end-of-input")) {
            return endsEarly(error, message) + at(location, 0);
        }
        for (Form form : FORMS) {
            Matcher m = form.pattern().matcher(message);
            if (m.find()) {
                return form.wording().apply(m, location);
            }
        }
        return "not valid JSON" + at(location, 0);
    }

    private static String endsEarly(JacksonException error, String message) {
        JsonToken inside = error instanceof UnexpectedEndOfInputException end
                ? end.getTokenBeingDecoded() : null;
        String where = inside == JsonToken.VALUE_STRING || message.contains("closing quote")
                ? " inside a string"
                : message.contains("property name") ? " inside a field name" : "";
        return "the JSON ends too early" + where + " (is the body truncated?)";
    }

    /** A character where the grammar wants another; {@code comment} says what was wanted. */
    private static String unexpectedCharacter(Matcher m, TokenStreamLocation location) {
        String comment = m.group(4) == null ? "" : m.group(4);
        // the parser decodes the character before a field name; elsewhere it shows one byte
        Found found = Found.of(codeOf(m, 1), location,
                comment.contains("to start property name"));
        String reason = m.group(3) != null ? badNumberCharacter(found, comment)
                : misplaced(found, comment);
        return reason + at(location, found.extraBytes());
    }

    private static String misplaced(Found found, String comment) {
        String what = found.describe();
        if (comment.contains("to start property name")) {
            return "expected a field name in double quotes, found " + what
                    + (found.is('}') ? " (a trailing comma is not allowed in objects)" : "");
        }
        if (comment.contains("to separate Object entries")) {
            return "expected ',' or '}', found " + what;
        }
        if (comment.contains("to separate Array entries")) {
            return "expected ',' or ']', found " + what;
        }
        if (comment.contains("colon to separate property name")) {
            return "expected ':' after the field name, found " + what;
        }
        if (comment.contains("comment")) {
            return "comments are not allowed in JSON";
        }
        if (comment.contains("hex-digit for character escape")) {
            return "invalid \\u escape in a string: expected 4 hex digits, found " + what;
        }
        if (comment.contains("separating root-level values")) {
            return "expected the end of the body after the JSON value, found " + what;
        }
        if (comment.startsWith("expected a valid value")) {
            return "expected " + JSON_VALUE + ", found " + what;
        }
        if (comment.startsWith("expected a value")) {
            return "expected a JSON value, found " + what
                    + (found.is(']') ? " (a trailing comma is not allowed in arrays)" : "");
        }
        return "unexpected " + what;
    }

    private static String badNumberCharacter(Found found, String comment) {
        if (comment.contains("plus sign")) {
            return "not a valid JSON number (a leading '+' is not allowed)";
        }
        if (comment.contains("Decimal point not followed by a digit")) {
            return "not a valid JSON number (a digit must follow the decimal point)";
        }
        if (comment.contains("Exponent indicator not followed by a digit")) {
            return "not a valid JSON number (a digit must follow the exponent's 'e')";
        }
        if (comment.contains("follow minus sign")) {
            return "not a valid JSON number (a digit must follow the minus sign)";
        }
        return "not a valid JSON number, found " + found.describe();
    }

    private static String unrecognizedToken(Matcher m, TokenStreamLocation location) {
        String token = m.group(1);
        if (byteColumns(location) && !token.isEmpty() && token.charAt(0) >= 0x80
                && token.charAt(0) <= 0xFF) {
            // one byte shown as a character: had a valid UTF-8 form followed, it would be read
            return NOT_UTF8 + at(location, 0);
        }
        return "unrecognized token " + quoted(token) + ": expected " + JSON_VALUE
                + at(location, 0);
    }

    private static String controlBetweenTokens(Matcher m, TokenStreamLocation location) {
        return "a control character (" + codePoint(codeOf(m, 1)) + ") is not allowed here; "
                + "only spaces, tabs and line breaks may separate JSON tokens" + at(location, 0);
    }

    private static String controlInString(Matcher m, TokenStreamLocation location) {
        String inside = m.group(3).contains("name") ? "a field name" : "a string";
        return "control character " + codePoint(codeOf(m, 1)) + " must be escaped inside "
                + inside + at(location, 0);
    }

    private static String badEscape(Matcher m, TokenStreamLocation location) {
        Found found = Found.of(codeOf(m, 1), location, true);
        String reason = found.code() > ' ' && found.code() < 0x7F
                ? "invalid escape '\\" + (char) found.code() + "' in a string"
                : "invalid escape in a string: '\\' followed by " + found.describe();
        return reason + at(location, found.extraBytes());
    }

    private static String wrongClose(Matcher m, TokenStreamLocation location) {
        return "unexpected '" + m.group(1) + "', expected '" + m.group(2) + "'"
                + at(location, 0);
    }

    private static String nothingToClose(Matcher m, TokenStreamLocation location) {
        String open = m.group(1).equals("]") ? "array" : "object";
        return "unexpected '" + m.group(1) + "': no " + open + " is open here" + at(location, 0);
    }

    private static String badNumber(Matcher m, TokenStreamLocation location) {
        return "not a valid JSON number" + (m.group(1) != null ? " (leading zeroes not allowed)"
                : "") + at(location, 0);
    }

    /**
     * A byte that cannot start or continue a UTF-8 character; the position is that of the
     * byte, one back (the parser has read it). A continuation byte (80 to BF) where a character
     * should start is most often the second byte of a valid character whose first byte the
     * parser took alone: the position is then that of the first byte, two back.
     */
    private static String badByte(Matcher m, TokenStreamLocation location) {
        int value = Integer.parseInt(m.group(2), 16);
        if (m.group(1).equals("start") && value >= 0x80 && value <= 0xBF) {
            return "an unexpected non-ASCII character or " + NOT_UTF8 + at(location, 2);
        }
        // a byte that can start nothing, or a second byte that does not continue the first
        return NOT_UTF8 + at(location, m.group(1).equals("start") ? 1 : 2);
    }

    private static String encodedSurrogate(Matcher m, TokenStreamLocation location) {
        return NOT_UTF8 + " (a UTF-16 surrogate encoded as UTF-8)" + at(location, 3);
    }

    /**
     * A character the parser reports: its code, whether the parser decoded it (else the code is
     * the first byte of its UTF-8 form), and whether columns count bytes.
     */
    private record Found(int code, boolean decoded, boolean countsBytes) {

        private static final String QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u00ab\u00bb";

        static Found of(int code, TokenStreamLocation location, boolean decodedByParser) {
            boolean bytes = byteColumns(location);
            return new Found(code, !bytes || code < 0x80 || code > 0xFF || decodedByParser,
                    bytes);
        }

        boolean is(char c) {
            return code == c;
        }

        /** The bytes of its UTF-8 form before the last one, where the parser's column points. */
        int extraBytes() {
            if (!decoded || !countsBytes) {
                return 0;
            }
            return code < 0x80 ? 0 : code < 0x800 ? 1 : 2;
        }

        String describe() {
            if (!decoded) {
                return NON_ASCII_OR_NOT_UTF8;
            }
            if (code == '\'') {
                return "\"'\" (JSON needs double quotes)";
            }
            if (Character.isISOControl(code)) {
                return "a control character (" + codePoint(code) + ")";
            }
            if (code < 0x80) {
                return "'" + (char) code + "'";
            }
            return nonAscii();
        }

        private String nonAscii() {
            String named = "'" + (char) code + "' (" + codePoint(code);
            if (QUOTES.indexOf(code) >= 0) {
                return named + ", JSON needs straight double quotes)";
            }
            if (code == 0xFEFF) {
                return "a byte-order mark (U+FEFF)";
            }
            if (Character.isSpaceChar(code)) {
                return "a space other than U+0020 (" + codePoint(code) + ")";
            }
            return switch (Character.getType(code)) {
                case Character.FORMAT -> "an invisible character (" + codePoint(code) + ")";
                // also a character past U+FFFF, which the parser reports cut to 16 bits
                case Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED ->
                        "a non-ASCII character";
                default -> named + ")";
            };
        }
    }

    private static int codeOf(Matcher m, int group) {
        String code = m.group(group) != null ? m.group(group) : m.group(group + 1);
        return Integer.parseInt(code);
    }

    /** Whether the parser counts columns in bytes (it reads UTF-8 bytes, not characters). */
    private static boolean byteColumns(TokenStreamLocation location) {
        return location != null && location.getByteOffset() >= 0
                && location.getCharOffset() < 0;
    }

    /** {@code token} in quotes, at most 40 characters, invisible ones as JSON escapes. */
    private static String quoted(String token) {
        String shown = token.length() > 40 ? token.substring(0, 40) + "…" : token;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }

    private static String codePoint(int c) {
        return String.format(Locale.ROOT, "U+%04X", c);
    }

    /**
     * " at line 3, column 14", or nothing when the parser did not know. The column is {@code
     * back} bytes before the parser's, where the parser's is past the start of what it reports.
     */
    static String at(TokenStreamLocation location, int back) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return new TextPosition(location.getLineNr(),
                Math.max(1, location.getColumnNr() - back)).at();
    }
}
