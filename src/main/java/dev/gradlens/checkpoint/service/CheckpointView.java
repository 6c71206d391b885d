package dev.gradlens.checkpoint.service;

import java.time.Instant;

/**
 * A checkpoint file of a model.
 *
 * @param step optimizer steps the weights have seen
 * @param file path of the file on the server
 */
public record CheckpointView(long step, String file, long sizeBytes, Instant createdAt) {
}
