package dev.gradlens.text;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer: the ids of a text are its UTF-8 bytes, 0 to 255.
 *
 * <p>Decoding replaces every malformed UTF-8 sequence (for example a multi-byte character cut in
 * half) with U+FFFD, so any id sequence decodes.
 */
public final class ByteTokenizer implements Tokenizer {

    /** Number of ids: one per byte value. */
    public static final int VOCAB_SIZE = 256;

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    /**
     * @throws IllegalArgumentException naming the first lone surrogate (a Java char that is half
     *     of a pair with no other half), which UTF-8 cannot encode, and its char index
     */
    @Override
    public int[] encode(String text) {
        checkNoLoneSurrogate(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    /** @throws IllegalArgumentException for an id outside [0, 256) */
    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bytes[i] = (byte) checkId(ids[i]);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The byte as a character for printable ASCII (0x20 to 0x7E), else {@code <0xNN>}.
     *
     * @throws IllegalArgumentException for an id outside [0, 256)
     */
    @Override
    public String tokenLabel(int id) {
        checkId(id);
        if (id >= 0x20 && id <= 0x7E) {
            return Character.toString(id);
        }
        return String.format("<0x%02X>", id);
    }

    @Override
    public String kind() {
        return "byte";
    }

    private static int checkId(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, 256)");
        }
        return id;
    }

    private static void checkNoLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "lone surrogate U+%04X at position %d cannot be encoded as UTF-8",
                        (int) c, i));
            }
        }
    }
}
