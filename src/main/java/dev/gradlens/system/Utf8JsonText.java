package dev.gradlens.system;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whether a JSON body is UTF-8 text (RFC 8259 8.1), checked on its bytes before Jackson reads
 * them, and why not in words. Jackson's byte parser is lenient in two ways that let other text
 * through: it decodes some invalid forms (overlong ones such as C0 AF for '/', and four-byte
 * forms past U+10FFFF) into characters the body never held, and it takes a NUL byte near the
 * start as the sign of UTF-16 or UTF-32 and reads the whole body in that encoding.
 */
final class Utf8JsonText {

    /** Chars decoded at a time; they are thrown away, only the decoder's verdict is kept. */
    private static final int CHUNK = 1024;

    private Utf8JsonText() {
    }

    /** Why {@code body} is not UTF-8 JSON text, or empty when its bytes are fine. */
    static Optional<String> fault(byte[] body) {
        int nul = indexOfNul(body);
        if (nul >= 0) {
            return Optional.of(nulReason(body, nul));
        }
        int invalid = firstInvalidUtf8(body);
        if (invalid >= 0) {
            return Optional.of("bytes that are not UTF-8" + TextPosition.of(body, invalid).at());
        }
        return Optional.empty();
    }

    /**
     * A NUL byte is valid UTF-8 (U+0000) but never valid JSON text outside an escape, and it is
     * what a body in UTF-16 or UTF-32 is full of: it is looked for first, so that such a body is
     * told the likely cause rather than where its first other odd byte is.
     */
    private static String nulReason(byte[] body, int offset) {
        return "a NUL byte" + TextPosition.of(body, offset).at() + " (byte " + (offset + 1)
                + " of the body): JSON text must be UTF-8, and NUL is never valid in it (was "
                + "the body sent as UTF-16 or UTF-32?)";
    }

    private static int indexOfNul(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The offset of the first byte that does not start or continue a UTF-8 character, or -1.
     * The JDK's decoder is strict where Jackson is not: it refuses overlong forms, encoded
     * surrogates and anything past U+10FFFF, and a sequence cut off by the end of the body.
     * A leading byte-order mark is valid UTF-8 (U+FEFF), which Jackson then skips.
     */
    static int firstInvalidUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, CHUNK) + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }
}
