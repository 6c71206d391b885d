package dev.gradlens.inspect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy's .npy format, version 1.0: the magic {@code \x93NUMPY}, version bytes 1 and 0, a
 * little-endian uint16 header length, an ASCII header dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and
 * ended by a newline so that the data starts at a multiple of 64 bytes, then the values in C
 * order, little-endian.
 */
public final class NpyWriter {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGNMENT = 64;

    private NpyWriter() {
    }

    /** A float32 ({@code <f4}) array. */
    public static byte[] float32(long[] shape, float[] values) {
        ByteBuffer out = start(shape, "<f4", 4L * values.length);
        out.asFloatBuffer().put(values);
        return out.array();
    }

    /** A float64 ({@code <f8}) array. */
    public static byte[] float64(long[] shape, double[] values) {
        ByteBuffer out = start(shape, "<f8", 8L * values.length);
        out.asDoubleBuffer().put(values);
        return out.array();
    }

    /** A little-endian buffer holding magic and header, positioned at the start of the data. */
    private static ByteBuffer start(long[] shape, String descr, long dataBytes) {
        byte[] header = headerOf(shape, descr);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(header.length + dataBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        return out;
    }

    /** Magic, version, header length and the padded header dict. */
    static byte[] headerOf(long[] shape, String descr) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
        String shapeText = shape.length == 1 ? "(" + dims + ",)" : "(" + dims + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + shapeText + ", }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";

        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 2 + text.length())
                .order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC);
        header.putShort((short) text.length());
        header.put(text.getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }
}
