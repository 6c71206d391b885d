package dev.gradlens.checkpoint;

import java.io.IOException;

/**
 * Thrown when a safetensors or checkpoint file cannot be trusted: a header length beyond the file,
 * a header that is not JSON, tensor offsets outside the data section or overlapping, a size that
 * does not match dtype and shape, missing metadata or a checksum mismatch.
 *
 * <p>The message names the file (when known) and the reason.
 */
public class CorruptCheckpointException extends IOException {

    private final String source;
    private final String reason;

    /**
     * @param source the file or stream the bytes came from, for the message; may be null
     * @param reason what is wrong, in plain words
     */
    public CorruptCheckpointException(String source, String reason) {
        super((source == null ? "" : source + ": ") + reason);
        this.source = source;
        this.reason = reason;
    }

    /** The file or stream at fault, or null when unknown. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String reason() {
        return reason;
    }
}
