package dev.gradlens.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks safetensors files (format: see {@link SafetensorsWriter}).
 *
 * <p>Checks, each failing with a {@link CorruptCheckpointException} that names the file and the
 * reason: the file holds the 8-byte header length; the header fits in the file and is UTF-8 JSON
 * with unique keys; {@code __metadata__} maps strings to strings; each tensor has dtype F32 or F64,
 * a shape of non-negative integers and two offsets within the data section whose span equals
 * elements × element size; the tensors neither overlap nor leave gaps, and they cover the data
 * section exactly (so a truncated file or trailing bytes are caught). Those are the rules of the
 * reference implementation too. The whole file is read into memory, so files above 2 GiB are
 * refused.
 */
public final class SafetensorsReader {

    private static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 8;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafetensorsReader() {
    }

    /**
     * Reads and checks a file.
     *
     * @throws CorruptCheckpointException when the content breaks a rule of the format
     * @throws IOException when the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new CorruptCheckpointException(file.toString(), "file has " + size
                    + " bytes; files above " + MAX_FILE_SIZE + " bytes are not supported");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Checks the bytes of a whole file.
     *
     * @param source names the bytes in messages, for example a file path
     * @throws CorruptCheckpointException when the content breaks a rule of the format
     */
    public static SafetensorsFile parse(byte[] bytes, String source)
            throws CorruptCheckpointException {
        if (bytes.length < 8) {
            throw new CorruptCheckpointException(source, "file has " + bytes.length
                    + " bytes, too short for the 8-byte header length (truncated?)");
        }
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long available = bytes.length - 8L;
        if (headerLength < 2 || headerLength > available) {
            throw new CorruptCheckpointException(source, "header length "
                    + Long.toUnsignedString(headerLength) + " does not fit in the " + available
                    + " bytes that follow it (truncated or not a safetensors file?)");
        }

        JsonNode root = parseHeader(bytes, (int) headerLength, source);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        long dataSize = available - headerLength;
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (entry.getKey().equals(SafetensorsWriter.METADATA_KEY)) {
                readMetadata(entry.getValue(), metadata, source);
            } else {
                tensors.add(HeaderEntries.tensor(entry.getKey(), entry.getValue(), source));
            }
        }

        checkLayout(tensors, dataSize, source);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) headerLength, (int) dataSize).slice();
        return new SafetensorsFile(source, metadata, tensors, data);
    }

    private static JsonNode parseHeader(byte[] bytes, int length, String source)
            throws CorruptCheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptCheckpointException(source, "header is not valid UTF-8");
        }

        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new CorruptCheckpointException(source, "header is not well-formed JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CorruptCheckpointException(source, "header is not a JSON object");
        }
        return root;
    }

    private static void readMetadata(JsonNode node, Map<String, String> out, String source)
            throws CorruptCheckpointException {
        if (!node.isObject()) {
            throw new CorruptCheckpointException(source, "__metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new CorruptCheckpointException(source, "__metadata__ value of "
                        + entry.getKey() + " is not a string");
            }
            out.put(entry.getKey(), entry.getValue().stringValue());
        }
    }

    /**
     * Sorts the tensors by offset and checks that they tile [0, dataSize) exactly.
     */
    private static void checkLayout(List<TensorInfo> tensors, long dataSize, String source)
            throws CorruptCheckpointException {
        tensors.sort(Comparator.comparingLong(TensorInfo::begin)
                .thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo tensor : tensors) {
            if (tensor.end() > dataSize) {
                throw new CorruptCheckpointException(source, "tensor " + tensor.name()
                        + " ends at byte " + tensor.end() + " but the data section has only "
                        + dataSize + " bytes (truncated?)");
            }
            if (tensor.begin() < expected) {
                throw new CorruptCheckpointException(source, "tensors " + previous.name()
                        + " and " + tensor.name() + " overlap");
            }
            if (tensor.begin() > expected) {
                throw new CorruptCheckpointException(source, "bytes " + expected + " to "
                        + tensor.begin() + " of the data section belong to no tensor");
            }
            expected = tensor.end();
            previous = tensor;
        }
        if (expected != dataSize) {
            throw new CorruptCheckpointException(source, "the tensors cover " + expected
                    + " bytes but the data section has " + dataSize);
        }
    }
}
