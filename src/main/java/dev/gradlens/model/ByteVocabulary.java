package dev.gradlens.model;

import dev.gradlens.text.Tokenizer;
import java.nio.charset.StandardCharsets;

/** Byte-level tokenizer: the ids of a text are its UTF-8 bytes, 0..255. */
final class ByteVocabulary implements Tokenizer {

    static final int SIZE = 256;

    @Override
    public int vocabSize() {
        return SIZE;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xff;
        }
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        byte[] bytes = new byte[tokenIds.length];
        for (int i = 0; i < tokenIds.length; i++) {
            check(tokenIds[i]);
            bytes[i] = (byte) tokenIds[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The character for printable ASCII, else {@code \xNN}. */
    @Override
    public String tokenLabel(int id) {
        check(id);
        return id >= 0x20 && id < 0x7f ? Character.toString(id) : String.format("\\x%02x", id);
    }

    @Override
    public String kind() {
        return TokenizerSpec.BYTE;
    }

    private static void check(int id) {
        if (id < 0 || id >= SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, 256)");
        }
    }
}
