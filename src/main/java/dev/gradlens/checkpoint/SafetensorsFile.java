package dev.gradlens.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A safetensors file read and checked by {@link SafetensorsReader}: its metadata, its tensor
 * entries in data order, and the data section, from which tensors are built on request.
 */
public final class SafetensorsFile {

    private final String source;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private final ByteBuffer data;

    SafetensorsFile(String source, Map<String, String> metadata, List<TensorInfo> inDataOrder,
            ByteBuffer data) {
        this.source = source;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        inDataOrder.forEach(info -> byName.put(info.name(), info));
        this.tensors = Collections.unmodifiableMap(byName);
        this.data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where the bytes came from (a file path), for messages. */
    public String source() {
        return source;
    }

    /** The {@code __metadata__} entries; empty when the header has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor entries by name, in the order of their data. */
    public Map<String, TensorInfo> tensorInfos() {
        return tensors;
    }

    /** Size in bytes of the data section. */
    public long dataSize() {
        return data.capacity();
    }

    /** Lower-case hex SHA-256 of the data section. */
    public String dataSha256() {
        MessageDigest digest = SafetensorsWriter.sha256();
        digest.update(data.duplicate().clear());
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A new C-order array with the tensor's elements, of the tensor's dtype and shape (rank 0 for
     * a 0-d tensor).
     *
     * @throws IllegalArgumentException when the file has no tensor of this name
     */
    public INDArray tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(source + " has no tensor named " + name);
        }
        ByteBuffer bytes = data.duplicate().clear()
                .position((int) info.begin()).limit((int) info.end())
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        long[] shape = info.shape();
        int count = (int) info.elementCount();
        if (count == 0) {
            return Nd4j.create(info.dtype().dataType(), shape);
        }

        if (info.dtype() == SafetensorsDtype.F32) {
            float[] values = new float[count];
            bytes.asFloatBuffer().get(values);
            return Nd4j.create(values, shape, 'c');
        }
        double[] values = new double[count];
        bytes.asDoubleBuffer().get(values);
        return Nd4j.create(values, shape, 'c');
    }

    /** Every tensor, by name in data order, as new arrays. */
    public Map<String, INDArray> tensors() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        tensors.keySet().forEach(name -> arrays.put(name, tensor(name)));
        return arrays;
    }
}
