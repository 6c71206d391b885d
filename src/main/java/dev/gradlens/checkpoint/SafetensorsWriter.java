package dev.gradlens.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes tensors in the safetensors format (https://github.com/huggingface/safetensors):
 *
 * <pre>
 * [8 bytes]  N, the header length, unsigned 64-bit little-endian
 * [N bytes]  UTF-8 JSON: {"__metadata__": {string: string},
 *              name: {"dtype": "F32"|"F64", "shape": [...], "data_offsets": [b, e]}, ...}
 *            padded with spaces so that 8 + N is a multiple of 8
 * [...]      the data section: each tensor's elements, little-endian, C order
 * </pre>
 *
 * <p>Tensors are laid out in the order they were added, without gaps; offsets count from the start
 * of the data section. {@code __metadata__} comes first and is left out when empty. The tensors
 * are copied (converted to little-endian bytes) when added, so later changes to the arrays do not
 * reach the file. A writer is not thread-safe.
 */
public final class SafetensorsWriter {

    /** Header key of the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    private record Entry(SafetensorsDtype dtype, long[] shape, byte[] bytes) {
    }

    /**
     * Adds a tensor after those added before.
     *
     * @return this writer
     * @throws IllegalArgumentException when the name is empty, {@value #METADATA_KEY} or already
     *     added, or the array is neither FLOAT nor DOUBLE
     */
    public SafetensorsWriter add(String name, INDArray array) {
        if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name must be non-empty and not "
                    + METADATA_KEY + ", was " + name);
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor " + name + " was already added");
        }
        SafetensorsDtype dtype = SafetensorsDtype.of(array.dataType());
        tensors.put(name, new Entry(dtype, array.shape(), littleEndianBytes(array, dtype)));
        return this;
    }

    /**
     * Adds every tensor of the map, in its iteration order.
     *
     * @return this writer
     * @throws IllegalArgumentException as {@link #add} does
     */
    public SafetensorsWriter addAll(Map<String, INDArray> arrays) {
        arrays.forEach(this::add);
        return this;
    }

    /** Size in bytes of the data section. */
    public long dataSize() {
        long size = 0;
        for (Entry entry : tensors.values()) {
            size += entry.bytes.length;
        }
        return size;
    }

    /** Lower-case hex SHA-256 of the data section, as it will be written. */
    public String dataSha256() {
        MessageDigest digest = sha256();
        for (Entry entry : tensors.values()) {
            digest.update(entry.bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The header bytes (JSON padded with spaces), without the 8-byte length in front.
     *
     * @throws IllegalArgumentException when a metadata key or value is null
     */
    public byte[] header(Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((key, value) -> meta.put(checkText("metadata key", key),
                    checkText("metadata value of " + key, value)));
        }

        long offset = 0;
        for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
            Entry entry = tensor.getValue();
            ObjectNode node = root.putObject(tensor.getKey());
            node.put("dtype", entry.dtype.name());
            ArrayNode shape = node.putArray("shape");
            for (long dimension : entry.shape) {
                shape.add(dimension);
            }
            node.putArray("data_offsets").add(offset).add(offset + entry.bytes.length);
            offset += entry.bytes.length;
        }

        return padded(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the whole file (length, header, data) to a channel; the channel is left open.
     *
     * @throws IOException when the channel fails
     * @throws IllegalArgumentException when a metadata key or value is null
     */
    public void writeTo(WritableByteChannel channel, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(metadata);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        length.putLong(0, header.length);
        writeFully(channel, length);
        writeFully(channel, ByteBuffer.wrap(header));
        for (Entry entry : tensors.values()) {
            writeFully(channel, ByteBuffer.wrap(entry.bytes));
        }
    }

    /**
     * Writes the whole file to a stream; the stream is flushed, not closed.
     *
     * @throws IOException when the stream fails
     */
    public void writeTo(OutputStream out, Map<String, String> metadata) throws IOException {
        writeTo(Channels.newChannel(out), metadata);
        out.flush();
    }

    /**
     * Writes tensors and metadata to a file, replacing it. Not atomic: see {@link CheckpointStore}
     * for crash-safe saving.
     *
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException as {@link #add} does
     */
    public static void write(Path file, Map<String, INDArray> arrays, Map<String, String> metadata)
            throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().addAll(arrays);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.writeTo(channel, metadata);
        }
    }

    /** The elements in C order as little-endian bytes, copied in bulk. */
    static byte[] littleEndianBytes(INDArray array, SafetensorsDtype dtype) {
        int count = Math.toIntExact(array.length());
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(count, dtype.bytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (count == 0) {
            return bytes.array();
        }

        INDArray compact = array.dup('c');
        if (dtype == SafetensorsDtype.F32) {
            bytes.asFloatBuffer().put(compact.data().asFloat(), 0, count);
        } else {
            bytes.asDoubleBuffer().put(compact.data().asDouble(), 0, count);
        }
        return bytes.array();
    }

    private static byte[] padded(byte[] json) {
        int length = (json.length + 7) / 8 * 8;
        byte[] header = new byte[length];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < length; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static String checkText(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return text;
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer)
            throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
