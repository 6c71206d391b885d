package dev.gradlens.checkpoint;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A checkpoint file of a model, as listed from its name and file attributes (not read).
 *
 * @param step the optimizer step in the file name
 * @param file the file
 * @param sizeBytes its size
 * @param modifiedAt its last-modified time
 */
public record CheckpointInfo(long step, Path file, long sizeBytes, Instant modifiedAt) {
}
