package dev.gradlens.bench;

import dev.gradlens.nn.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times training steps of the engine and of SameDiff from the same weights on the same batches.
 * Each round runs one step of every implementation on that round's batch; the order rotates from
 * round to round, so a drift of the machine (other builds, thermal limits) hits all of them alike.
 *
 * <p>A full garbage collection runs before every timed step, outside its timing (as JMH's
 * {@code -gc true}). Both engines free their temporary native buffers only when the Java objects
 * holding them are collected, and the Java heap fills too slowly to trigger that on its own:
 * without any collection SameDiff's resident memory grew by about 350 MiB per step of (c) and
 * three implementations in one JVM reached 12 GB. With one collection per round only, a step
 * paid for the garbage of the steps before it in that round: in the run of 2026-12-04 the engine's
 * (c) step took 1048 ms first in a round and 1174-1218 ms after a SameDiff step.
 *
 * <p>Right before the engine's step, each round also measures the machine's matmul throughput
 * ({@link RoundLimit}), so that the engine's share of the limit is also taken round by round
 * against what the machine gave at that moment.
 */
final class StepComparison {

    private StepComparison() {
    }

    /**
     * @param warmup rounds run first and not timed (JIT, buffer allocation, graph compilation)
     * @param rounds timed rounds
     * @return per implementation: ms per step (median, p10, p90, IQR), tokens/s and GFLOP/s at
     *     the median
     */
    static Map<String, Object> run(BenchConfig config, int warmup, int rounds, Log log) {
        long build = System.nanoTime();
        Transformer model = Implementation.model(config);
        List<Implementation> all = new ArrayList<>(List.of(
                Implementation.sameDiff(model, config, SameDiffModel.Mode.FIT),
                Implementation.sameDiff(model, config, SameDiffModel.Mode.GRADIENTS),
                Implementation.engine(model)));
        log.info("%s: built model (%d parameters) and both SameDiff graphs in %.1f s",
                config.describe(), model.parameterCount(), (System.nanoTime() - build) / 1e9);

        Workload workload = new Workload(config, 11);
        double[][] millis = new double[all.size()][rounds];
        double[] limitGflops = new double[rounds];
        RoundLimit roundLimit = new RoundLimit();
        for (int round = 0; round < warmup + rounds; round++) {
            for (int k = 0; k < all.size(); k++) {
                int i = (round + k) % all.size();
                System.gc();
                if (all.get(i).name().equals("engine")) {
                    double gflops = roundLimit.measure();
                    if (round >= warmup) {
                        limitGflops[round - warmup] = gflops;
                    }
                }
                long start = System.nanoTime();
                all.get(i).step(workload.get(round));
                double ms = (System.nanoTime() - start) / 1e6;
                if (round >= warmup) {
                    millis[i][round - warmup] = ms;
                }
            }
            if (round >= warmup) {
                int r = round - warmup;
                log.info("%s round %d/%d: %s=%.0f ms %s=%.0f ms %s=%.0f ms, limit %.0f GFLOP/s",
                        config.name(), r + 1, rounds, all.get(0).name(), millis[0][r],
                        all.get(1).name(), millis[1][r], all.get(2).name(), millis[2][r],
                        limitGflops[r]);
            }
        }
        roundLimit.close();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config", config);
        result.put("parameters", model.parameterCount());
        result.put("tokensPerStep", config.tokens());
        result.put("flopsPerStep", config.flopsPerStep());
        result.put("warmupRounds", warmup);
        result.put("rounds", rounds);
        for (int i = 0; i < all.size(); i++) {
            result.put(all.get(i).name(), summary(config, millis[i]));
        }
        result.put("pairedSpeedup", pairedSpeedups(all, millis));
        result.put("roundLimit", roundLimitSummary(config, limitGflops,
                millis[indexOf(all, "engine")]));
        return result;
    }

    /**
     * The matmul throughput measured in each round (median, p10, p90) and the median over rounds
     * of the engine's GFLOP/s over its own round's measurement, in percent.
     */
    private static Map<String, Object> roundLimitSummary(BenchConfig config,
            double[] limitGflops, double[] engineMillis) {
        double[] shares = new double[limitGflops.length];
        for (int r = 0; r < shares.length; r++) {
            double engineGflops = config.flopsPerStep() / (engineMillis[r] / 1000) / 1e9;
            shares[r] = 100 * engineGflops / limitGflops[r];
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("medianGflops", Stats.median(limitGflops));
        summary.put("p10Gflops", Stats.quantile(limitGflops, 0.10));
        summary.put("p90Gflops", Stats.quantile(limitGflops, 0.90));
        summary.put("engineSharePercent", Stats.median(shares));
        summary.put("engineShareP10Percent", Stats.quantile(shares, 0.10));
        summary.put("engineShareP90Percent", Stats.quantile(shares, 0.90));
        summary.put("samplesGflops", limitGflops);
        return summary;
    }

    /**
     * The median over rounds of each round's own SameDiff-over-engine ratio: the implementations
     * of a round run back to back on the same batch, so a drift of the machine cancels out.
     * {@code faster} takes, in each round, the faster of the two SameDiff variants.
     */
    private static Map<String, Object> pairedSpeedups(List<Implementation> all,
            double[][] millis) {
        int engine = indexOf(all, "engine");
        int fit = indexOf(all, "samediff-fit");
        int grad = indexOf(all, "samediff-grad");
        int rounds = millis[engine].length;
        double[] overFit = new double[rounds];
        double[] overGrad = new double[rounds];
        double[] overFaster = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            overFit[r] = millis[fit][r] / millis[engine][r];
            overGrad[r] = millis[grad][r] / millis[engine][r];
            overFaster[r] = Math.min(millis[fit][r], millis[grad][r]) / millis[engine][r];
        }
        Map<String, Object> paired = new LinkedHashMap<>();
        paired.put("samediff-fit", Stats.median(overFit));
        paired.put("samediff-grad", Stats.median(overGrad));
        paired.put("faster", Stats.median(overFaster));
        return paired;
    }

    private static int indexOf(List<Implementation> all, String name) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no implementation " + name);
    }

    static Map<String, Object> summary(BenchConfig config, double[] millis) {
        Map<String, Object> s = new LinkedHashMap<>();
        double median = Stats.median(millis);
        s.put("medianMs", median);
        s.put("p10Ms", Stats.quantile(millis, 0.10));
        s.put("p25Ms", Stats.quantile(millis, 0.25));
        s.put("p75Ms", Stats.quantile(millis, 0.75));
        s.put("p90Ms", Stats.quantile(millis, 0.90));
        s.put("tokensPerSecond", config.tokens() / (median / 1000));
        s.put("gflops", config.flopsPerStep() / (median / 1000) / 1e9);
        s.put("samplesMs", millis);
        return s;
    }
}
