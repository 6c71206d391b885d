package dev.gradlens.checkpoint;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A checkpoint read back from a file, with what the file says about it.
 *
 * @param checkpoint the checkpoint
 * @param file where it was read from
 * @param createdAt when it was written
 * @param dataSha256 lower-case hex SHA-256 of the file's data section (checked on reading)
 */
public record StoredCheckpoint(
        Checkpoint checkpoint, Path file, Instant createdAt, String dataSha256) {
}
