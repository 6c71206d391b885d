package dev.gradlens.generation;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Picks the next token from one row of logits. */
final class Sampling {

    private Sampling() {
    }

    /**
     * The next token: the argmax when the temperature is 0 or k is 1, else a draw from
     * softmax(logits / temperature) restricted to the k largest logits.
     *
     * @throws NonFiniteLogitsException when a logit is NaN or infinite
     */
    static int next(double[] logits, SamplingOptions options, SplittableRandom random) {
        for (int id = 0; id < logits.length; id++) {
            if (!Double.isFinite(logits[id])) {
                throw new NonFiniteLogitsException(logits[id], id);
            }
        }
        if (options.temperature() == 0 || options.topK() == 1) {
            return argmax(logits);
        }

        int[] candidates = topK(logits, options.topK());
        double max = logits[candidates[0]];
        double[] weights = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp((logits[candidates[i]] - max) / options.temperature());
            total += weights[i];
        }
        return draw(candidates, weights, total, random.nextDouble());
    }

    /** The id of the largest logit; the lowest such id on a tie. */
    static int argmax(double[] logits) {
        int best = 0;
        for (int id = 1; id < logits.length; id++) {
            if (logits[id] > logits[best]) {
                best = id;
            }
        }
        return best;
    }

    /** The ids of the k largest logits (all when k is 0 or ≥ V), largest first, ties by id. */
    static int[] topK(double[] logits, int k) {
        int keep = k == 0 ? logits.length : Math.min(k, logits.length);
        return IntStream.range(0, logits.length).boxed()
                .sorted((a, b) -> logits[a] != logits[b] ? Double.compare(logits[b], logits[a])
                        : Integer.compare(a, b))
                .limit(keep).mapToInt(Integer::intValue).toArray();
    }

    /** The candidate whose cumulative weight first exceeds u·total (u in [0, 1)). */
    private static int draw(int[] candidates, double[] weights, double total, double u) {
        double threshold = u * total;
        double cumulative = 0;
        for (int i = 0; i < candidates.length; i++) {
            cumulative += weights[i];
            if (threshold < cumulative) {
                return candidates[i];
            }
        }
        return candidates[candidates.length - 1];
    }
}
