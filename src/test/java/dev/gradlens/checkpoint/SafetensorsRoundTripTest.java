package dev.gradlens.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes tensors with {@link SafetensorsWriter}, reads them with {@link SafetensorsReader} and
 * compares element bits, and checks a tiny file byte by byte against bytes worked out by hand.
 */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    /** 0.25·i − 3 for i = 0..n−1: exact in float and double, and not symmetric. */
    static float[] floats(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = 0.25f * i - 3;
        }
        return values;
    }

    static double[] doubles(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 0.25 * i - 3 + 1e-12 * i;
        }
        return values;
    }

    @Test
    void float32And64TensorsOfRank0To3RoundTripBitExact() throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("cube", Nd4j.create(floats(24), new long[] {2, 3, 4}, 'c'));
        tensors.put("vector", Nd4j.create(doubles(5), new long[] {5}, 'c'));
        tensors.put("scalar32", Nd4j.scalar(-0.0f));
        tensors.put("scalar64", Nd4j.scalar(Math.PI));
        tensors.put("matrix64", Nd4j.create(doubles(6), new long[] {2, 3}, 'c'));
        Path file = dir.resolve("t.safetensors");

        SafetensorsWriter.write(file, tensors, Map.of("note", "hello ünïcode"));
        SafetensorsFile read = SafetensorsReader.read(file);

        assertThat(read.metadata()).containsExactly(Map.entry("note", "hello ünïcode"));
        assertThat(read.tensorInfos().keySet()).containsExactlyElementsOf(tensors.keySet());
        for (Map.Entry<String, INDArray> entry : tensors.entrySet()) {
            assertBitIdentical(read.tensor(entry.getKey()), entry.getValue());
        }
        assertThat(read.tensor("scalar32").rank()).isZero();
        assertThat(read.tensorInfos().get("cube").dtype()).isEqualTo(SafetensorsDtype.F32);
        assertThat(read.tensorInfos().get("vector").dtype()).isEqualTo(SafetensorsDtype.F64);
    }

    @Test
    void zeroSizedTensorsTakeNoBytes() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("before", Nd4j.scalar(1f));
        tensors.put("none", Nd4j.create(DataType.DOUBLE, 0, 3));
        tensors.put("after", Nd4j.scalar(2f));

        SafetensorsWriter.write(file, tensors, Map.of());
        SafetensorsFile read = SafetensorsReader.read(file);

        assertThat(read.dataSize()).isEqualTo(8);
        assertThat(read.tensorInfos().get("none").begin()).isEqualTo(4);
        assertThat(read.tensorInfos().get("none").end()).isEqualTo(4);
        assertThat(read.tensor("none").shape()).containsExactly(0, 3);
        assertThat(read.tensor("after").getFloat(0)).isEqualTo(2f);
    }

    @Test
    void viewsAndFortranOrderAreWrittenInCOrderOfTheirLogicalShape() throws IOException {
        INDArray base = Nd4j.create(floats(12), new long[] {3, 4}, 'c');
        INDArray transposed = base.transpose();
        INDArray column = base.getColumn(2);
        INDArray fortran = base.dup('f');
        Path file = dir.resolve("views.safetensors");

        SafetensorsWriter.write(file, Map.of("t", transposed, "col", column, "f", fortran),
                Map.of());
        SafetensorsFile read = SafetensorsReader.read(file);

        assertThat(read.tensor("t").shape()).containsExactly(4, 3);
        // transposed[i][j] = base[j][i] = 0.25·(4j + i) − 3
        assertThat(read.tensor("t").getFloat(1, 2)).isEqualTo(0.25f * 9 - 3);
        assertThat(read.tensor("col").toFloatVector()).containsExactly(-2.5f, -1.5f, -0.5f);
        assertBitIdentical(read.tensor("f"), base);
        assertThat(read.metadata()).isEmpty();
    }

    @Test
    void tinyFileMatchesBytesWorkedOutByHand() throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("a", Nd4j.create(new float[] {1.0f, -2.0f}, new long[] {2}, 'c'))
                .add("b", Nd4j.scalar(0.5));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        writer.writeTo(out, Map.of("k", "v"));

        // 132 characters of JSON, padded with 4 spaces to 136 = 0x88
        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}    ";
        byte[] expected = concat(
                bytes(0x88, 0, 0, 0, 0, 0, 0, 0),
                json.getBytes(StandardCharsets.US_ASCII),
                bytes(0x00, 0x00, 0x80, 0x3F),                          // 1.0f = 0x3F800000
                bytes(0x00, 0x00, 0x00, 0xC0),                          // -2.0f = 0xC0000000
                bytes(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F)); // 0.5 = 0x3FE0...0
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(writer.dataSize()).isEqualTo(16);
    }

    @Test
    void dataChecksumIsSha256OfTheDataSection() throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("a", Nd4j.create(new float[] {1.0f, -2.0f}, new long[] {2}, 'c'));
        Path file = dir.resolve("sum.safetensors");
        try (var out = Files.newOutputStream(file)) {
            writer.writeTo(out, Map.of());
        }

        // sha256 of the 8 bytes 00 00 80 3f 00 00 00 c0, from `sha256sum`
        String expected = "ee4ac73c2bd27756ab82780f27c73a7bc4d3f0bb6acb37e008bc27eccd7e588b";
        // the header {"a":{...}} has 54 characters, padded to 56, so the data starts at 64
        byte[] data = Arrays.copyOfRange(Files.readAllBytes(file), 64, 72);
        assertThat(data).isEqualTo(bytes(0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0));
        assertThat(writer.dataSha256()).isEqualTo(SafetensorsReader.read(file).dataSha256())
                .isEqualTo(expected);
    }

    @Test
    void writerRefusesDuplicateReservedAndUnsupportedTensors() {
        SafetensorsWriter writer = new SafetensorsWriter().add("x", Nd4j.scalar(1f));

        assertThatThrownBy(() -> writer.add("x", Nd4j.scalar(2f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> writer.add("__metadata__", Nd4j.scalar(2f)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.add("i", Nd4j.zeros(DataType.INT, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT");
    }

    static void assertBitIdentical(INDArray actual, INDArray expected) {
        assertThat(actual.dataType()).isEqualTo(expected.dataType());
        assertThat(actual.shape()).isEqualTo(expected.shape());
        INDArray a = actual.dup('c');
        INDArray e = expected.dup('c');
        if (expected.dataType() == DataType.FLOAT) {
            assertThat(a.data().asFloat()).containsExactly(e.data().asFloat());
        } else {
            assertThat(a.data().asDouble()).containsExactly(e.data().asDouble());
        }
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
