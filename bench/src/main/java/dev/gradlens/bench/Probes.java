package dev.gradlens.bench;

import dev.gradlens.nn.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** Measurements that each run in a fresh JVM, so that one cannot colour another's figures. */
final class Probes {

    private Probes() {
    }

    /**
     * Memory of one implementation alone: resident memory after ND4J starts (baseline), then
     * peak resident, peak heap and tracked off-heap after warm-up and after the timed steps.
     */
    static Map<String, Object> memory(String implName, BenchConfig config, int steps, Log log) {
        Nd4j.create(1).addi(1); // load the native backend before the baseline
        System.gc();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("implementation", implName);
        result.put("config", config.name());
        result.put("baseline", Memory.snapshot());
        Memory.resetPeakHeap();

        Transformer model = Implementation.model(config);
        Implementation impl = switch (implName) {
            case "engine" -> Implementation.engine(model);
            case "samediff-fit" -> Implementation.sameDiff(model, config, SameDiffModel.Mode.FIT);
            case "samediff-grad" -> Implementation.sameDiff(model, config,
                    SameDiffModel.Mode.GRADIENTS);
            default -> throw new IllegalArgumentException("no implementation " + implName);
        };
        Workload workload = new Workload(config, 11);
        int warmup = Math.max(1, steps / 4);
        for (int s = 0; s < warmup; s++) {
            impl.step(workload.get(s));
        }
        result.put("afterWarmup", Memory.snapshot());
        for (int s = warmup; s < steps; s++) {
            impl.step(workload.get(s));
        }
        result.put("steps", steps);
        result.put("end", Memory.snapshot());
        log.info("memory %s (%s): %s", implName, config.name(), result.get("end"));
        return result;
    }

    /**
     * Resident memory every `every` steps of the engine on config: {@code warmup} steps, then
     * {@code steps} measured steps. The growth is taken from the end of the warm-up to the end,
     * and the largest deviation of any sample in between is kept too. The result so far is
     * written to out after every sample, so a run stopped early still reports.
     */
    static Map<String, Object> longRun(BenchConfig config, int warmup, int steps, int every,
            Log log, java.io.File out) throws java.io.IOException {
        Transformer model = Implementation.model(config);
        Implementation engine = Implementation.engine(model);
        Workload workload = new Workload(config, 11);
        List<Map<String, Object>> samples = new ArrayList<>();
        long start = System.nanoTime();
        int total = warmup + steps;
        for (int s = 1; s <= total; s++) {
            engine.step(workload.get(s));
            if (s % every == 0) {
                samples.add(sample(s, start));
                log.info("long run step %d: %s, %.2f s per step", s,
                        samples.get(samples.size() - 1), (System.nanoTime() - start) / 1e9 / s);
                Bench.JSON.writeValue(out, longRunResult(config, warmup, steps, s, samples));
            }
        }
        return longRunResult(config, warmup, steps, total, samples);
    }

    private static Map<String, Object> sample(int step, long start) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("step", step);
        sample.put("seconds", (System.nanoTime() - start) / 1e9);
        sample.putAll(Memory.snapshot());
        Runtime runtime = Runtime.getRuntime();
        sample.put("heapUsedMiB", (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0));
        sample.put("heapCommittedMiB", runtime.totalMemory() / (1024.0 * 1024.0));
        sample.putAll(NativeHeap.snapshot());
        return sample;
    }

    private static Map<String, Object> longRunResult(BenchConfig config, int warmup, int steps,
            int completed, List<Map<String, Object>> samples) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config", config.name());
        result.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments());
        result.put("mallocArenaMax", System.getenv("MALLOC_ARENA_MAX"));
        result.put("warmupSteps", warmup);
        result.put("steps", steps);
        result.put("completedSteps", completed);
        result.put("samples", samples);
        double from = rssAt(samples, warmup);
        double to = rssAt(samples, completed);
        double largest = 0;
        for (Map<String, Object> s : samples) {
            if ((int) s.get("step") >= warmup) {
                double deviation = 100 * ((double) s.get("rssMiB") - from) / from;
                largest = Math.abs(deviation) > Math.abs(largest) ? deviation : largest;
            }
        }
        result.put("rssAtWarmupEndMiB", from);
        result.put("rssAtEndMiB", to);
        result.put("growthPercent", 100 * (to - from) / from);
        result.put("largestDeviationPercent", largest);
        return result;
    }

    private static double rssAt(List<Map<String, Object>> samples, int step) {
        for (Map<String, Object> s : samples) {
            if ((int) s.get("step") == step) {
                return (double) s.get("rssMiB");
            }
        }
        return Double.NaN;
    }

    /**
     * Square-matrix throughput and median engine step times with the thread count this JVM was
     * started with (OMP_NUM_THREADS is read once when the native backend loads).
     */
    static Map<String, Object> threads(List<BenchConfig> configs, Log log) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("OMP_NUM_THREADS", System.getenv("OMP_NUM_THREADS"));
        result.put("OMP_WAIT_POLICY", System.getenv("OMP_WAIT_POLICY"));
        result.put("nd4jMaxThreads", Nd4j.getEnvironment().maxThreads());
        result.put("nd4jMaxMasterThreads", Nd4j.getEnvironment().maxMasterThreads());
        result.put("gemm1024Gflops", MatmulLimit.gflops(MatmulLimit.square(1024)));
        for (BenchConfig config : configs) {
            boolean big = config == BenchConfig.C;
            int warmup = big ? 1 : 3;
            int steps = big ? 3 : 10;
            Implementation engine = Implementation.engine(Implementation.model(config));
            Workload workload = new Workload(config, 11);
            double[] ms = new double[steps];
            for (int s = 0; s < warmup + steps; s++) {
                long t = System.nanoTime();
                engine.step(workload.get(s));
                if (s >= warmup) {
                    ms[s - warmup] = (System.nanoTime() - t) / 1e6;
                }
            }
            result.put("engineMedianMs_" + config.name(), Stats.median(ms));
            log.info("threads=%s engine (%s): median %.1f ms", System.getenv("OMP_NUM_THREADS"),
                    config.name(), Stats.median(ms));
        }
        return result;
    }
}
