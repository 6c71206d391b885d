package dev.gradlens.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sampling profile of engine steps: every 2 ms the stack of the stepping thread is read and the
 * innermost engine frame (class, method and line in dev.gradlens.nn) is counted, so each line's
 * share of samples estimates its share of the step time, native work below it included.
 * Run with {@code bench/run.sh --profile=c} (or a or b).
 */
final class Profile {

    private Profile() {
    }

    static void run(BenchConfig config, int steps, Log log) throws Exception {
        Implementation engine = Implementation.engine(Implementation.model(config));
        Workload workload = new Workload(config, 11);
        for (int s = 0; s < 2; s++) {
            engine.step(workload.get(s));
        }
        Map<String, Integer> counts = new HashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread stepper = new Thread(() -> {
            for (int s = 0; s < steps; s++) {
                engine.step(workload.get(s));
            }
            done.set(true);
        });
        long start = System.nanoTime();
        stepper.start();
        int total = 0;
        while (!done.get()) {
            Thread.sleep(2);
            StackTraceElement[] stack = stepper.getStackTrace();
            String key = "(outside the engine)";
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("dev.gradlens.nn")) {
                    key = frame.getClassName().replace("dev.gradlens.nn.", "") + "."
                            + frame.getMethodName() + ":" + frame.getLineNumber();
                    break;
                }
            }
            counts.merge(key, 1, Integer::sum);
            total++;
        }
        stepper.join();
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        log.info("profile %s: %d steps, %.1f ms per step, %d samples", config.describe(), steps,
                ms, total);
        int all = total;
        counts.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(40)
                .forEach(e -> System.out.printf("%5.1f%%  %5.1f ms  %s%n",
                        100.0 * e.getValue() / all, ms * e.getValue() / all, e.getKey()));
    }
}
