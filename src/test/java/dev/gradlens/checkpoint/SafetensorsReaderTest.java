package dev.gradlens.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The reader accepts well-formed files and rejects each kind of damage with a clear reason. */
class SafetensorsReaderTest {

    private static final String TWO_FLOATS =
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /** A file of a header (padded to a multiple of 8 with spaces) and zeroed data bytes. */
    static byte[] fileOf(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer file = ByteBuffer.allocate(8 + padded + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(padded).put(header);
        while (file.position() < 8 + padded) {
            file.put((byte) ' ');
        }
        return file.array();
    }

    static AbstractThrowableAssert<?, ?> assertCorrupt(byte[] file) {
        return assertThatThrownBy(() -> SafetensorsReader.parse(file, "test.safetensors"))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageStartingWith("test.safetensors: ");
    }

    @Test
    void acceptsHeaderFormattedWithSpacesAndTensorsListedOutOfDataOrder() throws IOException {
        String json = "{ \"b\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [8, 16]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1, 2], \"data_offsets\": [0, 8]} }";
        byte[] file = fileOf(json, 16);

        SafetensorsFile read = SafetensorsReader.parse(file, "spaces");

        assertThat(read.tensorInfos().keySet()).containsExactly("a", "b");
        assertThat(read.tensor("a").shape()).containsExactly(1, 2);
        assertThat(read.tensor("b").getDouble(0)).isZero();
    }

    @Nested
    class Rejects {

        @Test
        void aTruncatedFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("t.safetensors");
            SafetensorsWriter.write(file, Map.of("w", Nd4j.rand(3, 5)), Map.of());
            byte[] whole = Files.readAllBytes(file);

            assertCorrupt(Arrays.copyOf(whole, whole.length - 4))
                    .hasMessageContaining("tensor w ends at byte 60")
                    .hasMessageContaining("only 56 bytes (truncated?)");
            assertCorrupt(Arrays.copyOf(whole, 5)).hasMessageContaining("too short");
        }

        @Test
        void aHeaderLengthBeyondTheFile() {
            byte[] file = fileOf(TWO_FLOATS, 8);
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, file.length);

            assertCorrupt(file).hasMessageContaining("header length " + file.length
                    + " does not fit in the " + (file.length - 8) + " bytes");
        }

        @Test
        void aNegativeAsUnsignedHeaderLength() {
            byte[] file = fileOf(TWO_FLOATS, 8);
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);

            assertCorrupt(file).hasMessageContaining("header length 18446744073709551615");
        }

        @Test
        void overlappingOffsets() {
            String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";

            assertCorrupt(fileOf(json, 12)).hasMessageContaining("tensors a and b overlap");
        }

        @Test
        void aGapBetweenTensorsAndTrailingBytes() {
            String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}";

            assertCorrupt(fileOf(gap, 20)).hasMessageContaining("bytes 8 to 12");
            assertCorrupt(fileOf(TWO_FLOATS, 12))
                    .hasMessageContaining("cover 8 bytes but the data section has 12");
        }

        @Test
        void aSizeThatDoesNotMatchDtypeTimesShape() {
            String f32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
            String f64 = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}";

            assertCorrupt(fileOf(f32, 8))
                    .hasMessageContaining("tensor a: data_offsets span 8 bytes but F32 [3] "
                            + "needs 12");
            assertCorrupt(fileOf(f64, 8)).hasMessageContaining("F64 [2] needs 16");
        }

        @Test
        void malformedOrDuplicateJson() {
            assertCorrupt(fileOf("{\"a\": [1, 2", 0)).hasMessageContaining("not well-formed");
            assertCorrupt(fileOf("[1, 2]", 0)).hasMessageContaining("not a JSON object");
            String twice = TWO_FLOATS.substring(0, TWO_FLOATS.length() - 1) + ","
                    + TWO_FLOATS.substring(1);
            assertCorrupt(fileOf(twice, 8)).hasMessageContaining("not well-formed")
                    .hasMessageContaining("\"a\"");
        }

        @Test
        void badFieldsAndMetadata() {
            String bf16 = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
            String negative = "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}";
            String noOffsets = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}";
            String meta = "{\"__metadata__\":{\"k\":1}," + TWO_FLOATS.substring(1);

            assertCorrupt(fileOf(bf16, 4)).hasMessageContaining("dtype BF16 is not supported");
            assertCorrupt(fileOf(negative, 8)).hasMessageContaining("not a non-negative integer");
            assertCorrupt(fileOf(noOffsets, 8)).hasMessageContaining("data_offsets is missing");
            assertCorrupt(fileOf(meta, 8)).hasMessageContaining("value of k is not a string");
        }

        @Test
        void aHeaderThatIsNotUtf8() {
            byte[] file = fileOf(TWO_FLOATS, 8);
            file[10] = (byte) 0xFF;

            assertCorrupt(file).hasMessageContaining("not valid UTF-8");
        }
    }

    @Test
    void corruptExceptionKeepsSourceAndReasonApart() {
        ByteArrayOutputStream empty = new ByteArrayOutputStream();

        assertThatThrownBy(() -> SafetensorsReader.parse(empty.toByteArray(), "x"))
                .isInstanceOfSatisfying(CorruptCheckpointException.class, e -> {
                    assertThat(e.source()).isEqualTo("x");
                    assertThat(e.reason()).startsWith("file has 0 bytes");
                });
    }
}
