package dev.gradlens.checkpoint;

import tools.jackson.databind.JsonNode;

/** Parses and checks one tensor entry of a safetensors header. */
final class HeaderEntries {

    private HeaderEntries() {
    }

    /**
     * The entry {@code name: {"dtype": ..., "shape": [...], "data_offsets": [b, e]}}.
     *
     * @throws CorruptCheckpointException when a field is missing or malformed, or the span of
     *     the offsets differs from elements × element size
     */
    static TensorInfo tensor(String name, JsonNode node, String source)
            throws CorruptCheckpointException {
        if (!node.isObject()) {
            throw corrupt(source, name, "entry is not a JSON object");
        }
        SafetensorsDtype dtype = dtype(name, node.get("dtype"), source);
        long[] shape = naturals(name, "shape", node.get("shape"), -1, source);
        long[] offsets = naturals(name, "data_offsets", node.get("data_offsets"), 2, source);
        if (offsets[1] < offsets[0]) {
            throw corrupt(source, name, "data_offsets end " + offsets[1] + " is before begin "
                    + offsets[0]);
        }

        long needed = byteSize(name, dtype, shape, source);
        long span = offsets[1] - offsets[0];
        if (span != needed) {
            throw corrupt(source, name, "data_offsets span " + span + " bytes but " + dtype
                    + " " + java.util.Arrays.toString(shape) + " needs " + needed);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static SafetensorsDtype dtype(String name, JsonNode node, String source)
            throws CorruptCheckpointException {
        if (node == null || !node.isString()) {
            throw corrupt(source, name, "dtype is missing or not a string");
        }
        for (SafetensorsDtype dtype : SafetensorsDtype.values()) {
            if (dtype.name().equals(node.stringValue())) {
                return dtype;
            }
        }
        throw corrupt(source, name, "dtype " + node.stringValue()
                + " is not supported (only F32 and F64)");
    }

    /** An array of non-negative integers, of the given length (or any length when -1). */
    private static long[] naturals(String name, String field, JsonNode node, int length,
            String source) throws CorruptCheckpointException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw corrupt(source, name, field + " is missing or not an array"
                    + (length >= 0 ? " of " + length + " integers" : ""));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.longValue() < 0) {
                throw corrupt(source, name, field + " holds " + item
                        + ", not a non-negative integer");
            }
            values[i] = item.longValue();
        }
        return values;
    }

    private static long byteSize(String name, SafetensorsDtype dtype, long[] shape,
            String source) throws CorruptCheckpointException {
        try {
            long size = dtype.bytes();
            for (long dimension : shape) {
                size = Math.multiplyExact(size, dimension);
            }
            return size;
        } catch (ArithmeticException e) {
            throw corrupt(source, name, "shape " + java.util.Arrays.toString(shape)
                    + " overflows 64-bit sizes");
        }
    }

    private static CorruptCheckpointException corrupt(String source, String name, String why) {
        return new CorruptCheckpointException(source, "tensor " + name + ": " + why);
    }
}
