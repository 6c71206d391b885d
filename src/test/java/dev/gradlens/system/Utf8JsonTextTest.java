package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a byte of a body is in the words of the error reasons ({@link TextPosition}), and which
 * bodies {@link Utf8JsonText} refuses: the positions must agree with the ones Jackson gives for
 * syntax errors, so lines end as Jackson ends them and a byte-order mark counts in the column.
 */
class Utf8JsonTextTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String at(String text, int offset) {
        return TextPosition.of(utf8(text), offset).at();
    }

    @Test
    void shouldCountColumnsInBytesFromOne() {
        assertThat(at("{\"a\": 1}", 0)).isEqualTo(" at line 1, column 1");
        assertThat(at("{\"a\": 1}", 6)).isEqualTo(" at line 1, column 7");
        // "é" is two bytes: the '"' after it is the 5th character and the 6th byte
        assertThat(at("[\"\u00e9\"]", 4)).isEqualTo(" at line 1, column 5");
    }

    @Test
    void shouldEndLinesAtLfCrOrCrLfAsJacksonDoes() {
        assertThat(at("{\n\"a\": x}", 7)).isEqualTo(" at line 2, column 6");
        assertThat(at("{\r\n\"a\": x}", 8)).isEqualTo(" at line 2, column 6");
        assertThat(at("{\r\"a\": x}", 7)).isEqualTo(" at line 2, column 6");
        assertThat(at("{\r\r\"a\": x}", 8)).isEqualTo(" at line 3, column 6");
        assertThat(at("{\n\r\"a\": x}", 8)).isEqualTo(" at line 3, column 6");
        assertThat(at("{\n\n", 3)).isEqualTo(" at line 3, column 1");
    }

    @Test
    void shouldCountALeadingByteOrderMarkInTheColumn() {
        byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{x"));
        assertThat(TextPosition.of(body, 4).at()).isEqualTo(" at line 1, column 5");
    }

    @Test
    void shouldAcceptUtf8WithAByteOrderMarkAndEveryPlane() {
        byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("{\"name\": \"\u00e9\u20ac\ud83d\ude00\ud7ff\ue000\udbff\udfff\"}"));
        assertThat(Utf8JsonText.fault(body)).isEmpty();
        assertThat(Utf8JsonText.fault(new byte[0])).isEmpty();
    }

    /** Overlong, encoded surrogates, past U+10FFFF, bytes that start nothing, cut off. */
    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "C1BF", "C0A0", "E08080", "F5808080", "F4908080", "EDA080",
            "80", "FF", "C3", "E282", "C328"})
    void shouldPlaceTheFirstByteThatIsNotUtf8(String hex) {
        byte[] body = concat(utf8("{\"a\": 1,\r\n \"b\": \"x"), bytes(hex), utf8("\"}"));
        assertThat(Utf8JsonText.firstInvalidUtf8(body)).isEqualTo(18);
        assertThat(Utf8JsonText.fault(body))
                .contains("bytes that are not UTF-8 at line 2, column 9");
    }

    @Test
    void shouldFindAByteThatIsNotUtf8PastTheDecodersChunk() {
        byte[] body = concat(utf8("\"" + "\u00e9".repeat(3000)), bytes("C0AF"), utf8("\""));
        assertThat(Utf8JsonText.firstInvalidUtf8(body)).isEqualTo(6001);
    }

    @Test
    void shouldNameANulByteAndTheLikelyEncodingBeforeOtherFaults() {
        byte[] utf16 = "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_16LE);
        assertThat(Utf8JsonText.fault(utf16)).contains("a NUL byte at line 1, column 2 (byte 2 "
                + "of the body): JSON text must be UTF-8, and NUL is never valid in it (was the "
                + "body sent as UTF-16 or UTF-32?)");
        byte[] late = concat(bytes("FF"), utf8("\n{"), new byte[] {0});
        assertThat(Utf8JsonText.fault(late).orElseThrow())
                .startsWith("a NUL byte at line 2, column 2 (byte 4 of the body)");
    }

    private static byte[] bytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
