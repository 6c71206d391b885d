package dev.gradlens.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * What {@link CheckpointStore#loadLatest} found.
 *
 * @param latest the newest checkpoint that could be read, or empty when there is none
 * @param problems the newer files that were skipped, newest first, each with its reason
 */
public record LoadResult(Optional<StoredCheckpoint> latest, List<CheckpointProblem> problems) {

    public LoadResult {
        problems = List.copyOf(problems);
    }
}
