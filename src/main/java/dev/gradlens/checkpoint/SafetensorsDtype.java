package dev.gradlens.checkpoint;

import org.nd4j.linalg.api.buffer.DataType;

/** The safetensors element types this project reads and writes. */
public enum SafetensorsDtype {

    /** IEEE 754 binary32, little-endian. */
    F32(DataType.FLOAT, 4),

    /** IEEE 754 binary64, little-endian. */
    F64(DataType.DOUBLE, 8);

    private final DataType dataType;
    private final int bytes;

    SafetensorsDtype(DataType dataType, int bytes) {
        this.dataType = dataType;
        this.bytes = bytes;
    }

    /** The ND4J data type of this element type. */
    public DataType dataType() {
        return dataType;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The element type of an ND4J data type.
     *
     * @throws IllegalArgumentException for anything but FLOAT and DOUBLE
     */
    public static SafetensorsDtype of(DataType type) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.dataType == type) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("data type " + type
                + " is not supported; use FLOAT (F32) or DOUBLE (F64)");
    }
}
