package dev.gradlens.bench;

import dev.gradlens.nn.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A fixed pool of random next-token batches that every implementation cycles through. */
final class Workload {

    private static final int POOL = 8;

    private final List<Batch> batches = new ArrayList<>();

    Workload(BenchConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < POOL; i++) {
            List<int[]> sequences = new ArrayList<>();
            for (int b = 0; b < config.batch(); b++) {
                sequences.add(random.ints(config.length() + 1, 0, config.vocab()).toArray());
            }
            batches.add(Batch.nextTokenOf(sequences));
        }
    }

    Batch get(int step) {
        return batches.get(step % batches.size());
    }
}
