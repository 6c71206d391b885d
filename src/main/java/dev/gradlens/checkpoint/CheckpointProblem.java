package dev.gradlens.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint file that could not be used.
 *
 * @param file the file
 * @param reason why, in plain words (for example "data checksum mismatch: ...")
 */
public record CheckpointProblem(Path file, String reason) {

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
