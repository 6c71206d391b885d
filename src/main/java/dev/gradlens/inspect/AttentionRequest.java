package dev.gradlens.inspect;

import java.util.List;

/**
 * Body of {@code POST /api/models/{id}/attention}: one input sequence, as token ids or as text.
 */
public record AttentionRequest(List<Integer> tokens, String text) {
}
