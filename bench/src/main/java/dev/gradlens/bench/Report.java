package dev.gradlens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown tables of bench/results/latest.md, from the JSON results. */
final class Report {

    private static final String[] IMPLS = {"engine", "samediff-fit", "samediff-grad"};

    private Report() {
    }

    static String markdown(JsonNode r) {
        StringBuilder md = new StringBuilder("# gradlens benchmark results\n\n");
        if (r.has("machine")) {
            machine(md, r);
        }
        double limit = r.path("matmul").path("limitGflops").asDouble(Double.NaN);
        if (r.has("matmul")) {
            matmul(md, r.get("matmul"));
        }
        if (r.has("agreement")) {
            md.append(f("Same weights, same batches: the three implementations' losses after each "
                    + "of the first 3 steps differ by at most %.1e (relative).%n%n",
                    r.get("agreement").get("maxRelativeLossDifference").asDouble()));
        }
        if (r.path("steps").isObject()) {
            steps(md, r.get("steps"), limit);
        }
        if (r.has("memory")) {
            memory(md, r.get("memory"));
        }
        if (r.has("threads")) {
            threads(md, r.get("threads"));
        }
        if (r.has("longRun")) {
            longRun(md, r.get("longRun"));
        } else if (r.has("samples")) { // a long run's own file
            longRun(md, r);
        }
        if (r.has("http")) {
            http(md, r.get("http"));
        }
        targets(md, r, limit);
        return md.toString();
    }

    private static void machine(StringBuilder md, JsonNode r) {
        JsonNode m = r.get("machine");
        md.append(f("Machine: %s, %d processors, %s, ND4J threads %s (OMP_NUM_THREADS=%s, "
                + "OMP_WAIT_POLICY=%s). "
                + "Started %s. "
                + "Load average (1/5/15 min) %s at start, %s at end; run took %.0f s%s.%n%n",
                m.get("cpu").asText(), m.get("processors").asInt(), m.get("java").asText(),
                m.get("nd4jMaxThreads").asText(), m.path("OMP_NUM_THREADS").asText("unset"),
                m.path("OMP_WAIT_POLICY").asText("unset"),
                m.path("startedAtUtc").asText("at an unrecorded time"),
                m.get("loadAverageAtStart").asText(), r.path("loadAverageAtEnd").asText(),
                r.path("seconds").asDouble(), r.path("quick").asBoolean()
                        ? " (--quick: a smoke test, too few rounds to quote)" : ""));
    }

    private static void matmul(StringBuilder md, JsonNode m) {
        md.append("## Matrix multiply, float32, into a preallocated output\n\n");
        md.append("| product | GFLOP/s |\n|---|---:|\n");
        for (JsonNode row : m.get("square")) {
            md.append(f("| %s | %.1f |%n", row.get("shape").asText(), row.get("gflops").asDouble()));
        }
        for (JsonNode row : m.get("modelShapes")) {
            md.append(f("| %s | %.1f |%n", row.get("shape").asText(), row.get("gflops").asDouble()));
        }
        md.append(f("%nPractical limit (best of 1024² and 2048²): **%.1f GFLOP/s**.%n%n",
                m.get("limitGflops").asDouble()));
    }

    private static void steps(StringBuilder md, JsonNode steps, double limit) {
        md.append("## Training step: forward, backward, AdamW update\n\n");
        md.append("| config | implementation | median ms | p10–p90 ms | tokens/s | GFLOP/s "
                + "| % of limit | engine speed-up | paired speed-up |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        steps.fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            double engine = c.get("engine").get("medianMs").asDouble();
            JsonNode paired = c.path("pairedSpeedup");
            for (String impl : IMPLS) {
                JsonNode s = c.get(impl);
                double median = s.get("medianMs").asDouble();
                boolean sameDiff = !impl.equals("engine");
                double share = 100 * s.get("gflops").asDouble() / limit;
                md.append(f("| %s | %s | %.1f | %.1f–%.1f | %.0f | %.1f | %s | %s | %s |%n",
                        e.getKey(), impl, median, s.get("p10Ms").asDouble(),
                        s.get("p90Ms").asDouble(), s.get("tokensPerSecond").asDouble(),
                        s.get("gflops").asDouble(),
                        Double.isFinite(share) ? f("%.0f%%", share) : "–", // no limit measured
                        sameDiff ? f("%.2f×", median / engine) : "",
                        sameDiff && paired.has(impl) ? f("%.2f×", paired.get(impl).asDouble())
                                : ""));
            }
        });
        md.append("\n*engine speed-up* is SameDiff's median over the engine's; *paired speed-up* "
                + "is the median of each round's own ratio (the implementations of a round run "
                + "back to back on the same batch, so a drift of the machine cancels).\n");
        md.append("\nConfigs: (a) L=4 C=256 H=4 T=64 B=4 V=65; (b) L=4 C=128 H=4 T=64 B=12 V=65; "
                + "(c) L=6 C=512 H=8 T=128 B=8 V=256. GFLOP/s counts the step's matrix "
                + "multiplies, 6·N·(L·(4C²+2CF)+CV) + 12·L·B·T²·C with N = B·T and F = 4C. "
                + "Rounds per config: ");
        steps.fields().forEachRemaining(e -> md.append(f("%s %d(+%d warm-up) ", e.getKey(),
                e.getValue().get("rounds").asInt(), e.getValue().get("warmupRounds").asInt())));
        md.append("\n\n");
        roundLimits(md, steps);
    }

    /** The limit measured in every round, and the engine's share of its own round's. */
    private static void roundLimits(StringBuilder md, JsonNode steps) {
        List<String> rows = new ArrayList<>();
        steps.fields().forEachRemaining(e -> {
            JsonNode l = e.getValue().path("roundLimit");
            if (l.isObject()) {
                rows.add(f("| %s | %.1f | %.1f–%.1f | %.0f%% | %.0f–%.0f%% |", e.getKey(),
                        l.get("medianGflops").asDouble(), l.get("p10Gflops").asDouble(),
                        l.get("p90Gflops").asDouble(), l.get("engineSharePercent").asDouble(),
                        l.get("engineShareP10Percent").asDouble(),
                        l.get("engineShareP90Percent").asDouble()));
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        md.append("The limit again, in every round right before the engine's step (the faster of "
                + "two 2048² products), and the engine's share of its own round's limit:\n\n"
                + "| config | limit median GFLOP/s | p10–p90 | engine's share, median of rounds "
                + "| p10–p90 |\n|---|---:|---:|---:|---:|\n");
        rows.forEach(row -> md.append(row).append('\n'));
        md.append('\n');
    }

    private static void memory(StringBuilder md, JsonNode memory) {
        md.append("## Memory, each implementation alone in a fresh JVM\n\n");
        md.append("| config | implementation | steps | peak RSS MiB | RSS at end MiB | RSS after "
                + "ND4J start MiB | peak heap MiB | off-heap (JavaCPP) MiB |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode m : memory) {
            if (m.has("failedWithExitCode")) {
                md.append(f("| %s | failed with exit code %d |%n", m.get("args"),
                        m.get("failedWithExitCode").asInt()));
                continue;
            }
            JsonNode end = m.get("end");
            md.append(f("| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                    m.get("config").asText(), m.get("implementation").asText(),
                    m.get("steps").asInt(), end.get("peakRssMiB").asDouble(),
                    end.get("rssMiB").asDouble(), m.get("baseline").get("rssMiB").asDouble(),
                    end.get("peakHeapMiB").asDouble(), end.get("offHeapTrackedMiB").asDouble()));
        }
        md.append("\n");
    }

    private static void threads(StringBuilder md, JsonNode threads) {
        md.append("## Thread count (engine alone, fresh JVM per setting)\n\n");
        md.append("| OMP_NUM_THREADS | OMP_WAIT_POLICY | ND4J threads | 1024² GFLOP/s | (a) ms "
                + "| (b) ms | (c) ms |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (JsonNode t : threads) {
            if (t.has("failedWithExitCode")) {
                continue;
            }
            md.append(f("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |%n",
                    t.get("OMP_NUM_THREADS").asText(), t.path("OMP_WAIT_POLICY").asText("unset"),
                    t.get("nd4jMaxThreads").asInt(),
                    t.get("gemm1024Gflops").asDouble(), t.get("engineMedianMs_a").asDouble(),
                    t.get("engineMedianMs_b").asDouble(), t.get("engineMedianMs_c").asDouble()));
        }
        md.append("\n");
    }

    private static void longRun(StringBuilder md, JsonNode run) {
        if (run.has("failedWithExitCode")) {
            md.append("## Long run\n\nfailed\n\n");
            return;
        }
        int warmup = run.path("warmupSteps").asInt(200);
        int planned = warmup + run.get("steps").asInt();
        int done = run.path("completedSteps").asInt(planned);
        md.append(f("## Resident memory over %d engine steps of (%s) after %d warm-up steps%s%n%n",
                run.get("steps").asInt(), run.get("config").asText(), warmup, done < planned
                        ? f(" (stopped early at step %d of %d)", done, planned) : ""));
        md.append(f("JVM arguments: `%s`.%n%n", String.join(" ",
                strings(run.path("jvmArguments")))));
        md.append("| step | RSS MiB | heap committed MiB | heap used MiB | malloc in use MiB "
                + "| malloc freed, kept MiB | JVM non-heap MiB |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode s : run.get("samples")) {
            int step = s.get("step").asInt();
            if (step <= warmup || step % 500 == 0 || step == done) {
                md.append(f("| %d%s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", step,
                        step <= warmup ? " (warm-up)" : "", s.get("rssMiB").asDouble(),
                        s.path("heapCommittedMiB").asDouble(Double.NaN),
                        s.get("heapUsedMiB").asDouble(),
                        s.path("mallocInUseMiB").asDouble(Double.NaN),
                        s.path("mallocFreeKeptMiB").asDouble(Double.NaN),
                        s.path("jvmNonHeapCommittedMiB").asDouble(Double.NaN)));
            }
        }
        md.append(f("%nRSS growth from step %d (end of warm-up) to %d: **%+.2f%%**; largest "
                + "deviation of any sample in between: %+.2f%%.%n%n", warmup, done,
                run.get("growthPercent").asDouble(),
                run.path("largestDeviationPercent").asDouble(Double.NaN)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void http(StringBuilder md, JsonNode h) {
        md.append("## HTTP layer, config (a)\n\n");
        if (!h.path("measured").asBoolean(false)) {
            md.append("not measured: ").append(h.path("reason").asText(h.toString()))
                    .append("\n\n");
            return;
        }
        md.append("| path | median ms | p10–p90 ms |\n|---|---:|---:|\n");
        for (String path : new String[] {"engine", "service", "http"}) {
            JsonNode s = h.get(path);
            md.append(f("| %s | %.1f | %.1f–%.1f |%n", path, s.get("medianMs").asDouble(),
                    s.get("p10Ms").asDouble(), s.get("p90Ms").asDouble()));
        }
        md.append(f("%nMedian of each round's own ratio (the three paths run back to back in a "
                + "round): HTTP over the in-process engine call **%+.1f%%**, HTTP over the "
                + "in-process service call (same validation and database write) **%+.1f%%**, "
                + "service over engine %+.1f%%. Ratio of the medians: %+.1f%%, %+.1f%%, %+.1f%%. "
                + "%d rounds after %d warm-up rounds; before them, %d steps of a tiny model each "
                + "way compiled the request path.%n%n",
                paired(h, "HttpOverEngine"), paired(h, "HttpOverService"),
                paired(h, "ServiceOverEngine"), h.get("httpOverEnginePercent").asDouble(),
                h.get("httpOverServicePercent").asDouble(),
                h.get("serviceOverEnginePercent").asDouble(), h.get("rounds").asInt(),
                h.get("warmupRounds").asInt(), h.path("requestPathWarmupSteps").asInt()));
        if (h.has("httpAddedPercent")) {
            md.append(f("Time around the training itself (a round's total minus the step's "
                    + "training time as the service measured it, medians): service call %.2f ms "
                    + "(validation, database write), HTTP call %.2f ms (the same, plus Tomcat, "
                    + "Spring MVC, JSON and the client). Over the same round's engine step: the "
                    + "HTTP call adds **%.1f%%**, the service call %.1f%%.%n%n",
                    h.get("serviceOutsideTrainingMs").asDouble(),
                    h.get("httpOutsideTrainingMs").asDouble(),
                    h.get("httpAddedPercent").asDouble(),
                    h.get("serviceAddedPercent").asDouble()));
        }
        if (h.has("httpLayerPercent")) {
            md.append(f("The REST layer alone (each round's HTTP time around the training minus "
                    + "its service call's, median): **%.2f ms**, **%.1f%%** of the same round's "
                    + "engine step.%n%n", h.get("httpLayerMs").asDouble(),
                    h.get("httpLayerPercent").asDouble()));
        }
        if (h.has("httpTrainingMs")) {
            md.append(f("The training time itself, as the service measured it inside each call "
                    + "(medians): %.1f ms in the in-process service call, %.1f ms in the HTTP "
                    + "call, against %.1f ms for the whole engine step.%n%n",
                    h.get("serviceTrainingMs").asDouble(), h.get("httpTrainingMs").asDouble(),
                    h.get("engine").get("medianMs").asDouble()));
        }
    }

    /**
     * "; x% alone" from the thread sweep's row with the run's own ND4J threads and wait policy (the engine
     * alone in a fresh JVM, no SameDiff between its steps), or "" when the sweep did not run.
     */
    private static String aloneShare(JsonNode r, JsonNode c, double limit) {
        JsonNode engine = c.get("engine");
        double gigaflopPerStep = engine.get("gflops").asDouble() * engine.get("medianMs").asDouble()
                / 1000;
        String policy = r.path("machine").path("OMP_WAIT_POLICY").asText("unset");
        for (JsonNode t : r.path("threads")) {
            boolean same = t.path("nd4jMaxThreads").asInt()
                    == r.path("machine").path("nd4jMaxThreads").asInt()
                    && policy.equals(t.path("OMP_WAIT_POLICY").asText("unset"));
            if (same && t.has("engineMedianMs_c")) {
                double gflops = gigaflopPerStep / (t.get("engineMedianMs_c").asDouble() / 1000);
                return f("; %.0f%% with the engine alone (thread table)", 100 * gflops / limit);
            }
        }
        return "";
    }

    /**
     * (c)'s share of the limit. The verdict takes the share of each round's own limit when the
     * rounds measured it (the limit at the start of a run is from another moment of a machine
     * whose throughput drifts), else the share of the start-of-run limit.
     */
    /**
     * The HTTP target by two measures: the REST layer's own time, and the whole step over HTTP
     * against the same step called in-process (paired), which also holds any slowdown of the
     * training itself inside the HTTP call. Met only when both are within 3%.
     */
    private static String httpVerdict(double layerPercent, double wholeStepPercent) {
        if (layerPercent > 3) {
            return f("missed, by %.1f points", layerPercent - 3);
        }
        if (wholeStepPercent > 3) {
            return f("met by the REST layer's time; the whole step missed it by %.2f points",
                    wholeStepPercent - 3);
        }
        return "met";
    }

    private static void shareTarget(StringBuilder md, JsonNode r, JsonNode c, double limit) {
        double share = 100 * c.get("engine").get("gflops").asDouble() / limit;
        JsonNode round = c.path("roundLimit");
        double judged = round.isObject() ? round.get("engineSharePercent").asDouble() : share;
        String roundText = round.isObject()
                ? f("%.0f%% of each round's own limit (median of rounds); ", judged) : "";
        md.append(f("| (c) engine ≥ 55%% of the matmul limit | %s%.0f%% of the limit measured at "
                + "the start (alternating with SameDiff)%s | %s |%n", roundText, share,
                aloneShare(r, c, limit), judged >= 55 ? "met" : "missed"));
    }

    /** A median of per-round ratios, e.g. {@code paired(h, "HttpOverEngine")}. */
    private static double paired(JsonNode h, String name) {
        return h.get("paired" + name + "Percent").asDouble();
    }

    private static void targets(StringBuilder md, JsonNode r, double limit) {
        md.append("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        if (r.path("steps").isObject()) {
            r.get("steps").fields().forEachRemaining(e -> {
                double engine = e.getValue().get("engine").get("medianMs").asDouble();
                double best = Math.min(e.getValue().get("samediff-fit").get("medianMs").asDouble(),
                        e.getValue().get("samediff-grad").get("medianMs").asDouble());
                double ratio = best / engine;
                JsonNode paired = e.getValue().path("pairedSpeedup").path("faster");
                md.append(f("| (%s) engine ≥ 2× the faster SameDiff | %.2f× (ratio of medians)%s "
                        + "| %s |%n", e.getKey(), ratio, paired.isNumber()
                                ? f("; paired %.2f×", paired.asDouble()) : "",
                        ratio >= 2 ? "met" : "missed"));
            });
            JsonNode c = r.get("steps").get("c");
            if (c != null) {
                shareTarget(md, r, c, limit);
            }
        }
        JsonNode h = r.path("http");
        if (h.path("measured").asBoolean(false) && h.has("httpLayerPercent")) {
            double layer = h.get("httpLayerPercent").asDouble();
            md.append(f("| (a) HTTP adds ≤ 3%% to a step | the REST layer adds %.2f ms = %.1f%% "
                    + "of the engine step over the same step called in-process; with the "
                    + "service's own validation and database write, which the in-process call "
                    + "makes too, the time around the training is %.2f ms = %.1f%%; paired "
                    + "whole-step ratios %+.1f%% over the in-process service, %+.1f%% over the "
                    + "bare engine | %s |%n",
                    h.get("httpLayerMs").asDouble(), layer,
                    h.get("httpOutsideTrainingMs").asDouble(),
                    h.get("httpAddedPercent").asDouble(), paired(h, "HttpOverService"),
                    paired(h, "HttpOverEngine"),
                    httpVerdict(layer, paired(h, "HttpOverService"))));
        } else if (h.path("measured").asBoolean(false) && h.has("httpAddedPercent")) {
            double added = h.get("httpAddedPercent").asDouble();
            md.append(f("| (a) HTTP adds ≤ 3%% to a step | adds %.2f ms = %.1f%% of the engine "
                    + "step (%.1f%% of it is the service's own write); paired whole-step ratios "
                    + "%+.1f%% over the engine, %+.1f%% over the in-process service | %s |%n",
                    h.get("httpOutsideTrainingMs").asDouble(), added,
                    h.get("serviceAddedPercent").asDouble(), paired(h, "HttpOverEngine"),
                    paired(h, "HttpOverService"), added <= 3 ? "met" : "missed"));
        } else if (h.path("measured").asBoolean(false)) {
            double pct = paired(h, "HttpOverEngine");
            md.append(f("| (a) HTTP adds ≤ 3%% to a step | %+.1f%% over the engine, %+.1f%% over "
                    + "the in-process service (paired medians) | %s |%n", pct,
                    paired(h, "HttpOverService"), pct <= 3 ? "met" : "missed"));
        }
        JsonNode run = r.has("longRun") ? r.get("longRun") : r;
        if (run.has("growthPercent")) {
            double g = run.get("growthPercent").asDouble();
            int done = run.path("completedSteps").asInt(run.get("steps").asInt());
            double largest = run.path("largestDeviationPercent").asDouble(g);
            int warmup = run.path("warmupSteps").asInt(200);
            int measured = run.get("steps").asInt();
            int planned = warmup + measured;
            String verdict = done < planned ? "not shown (run stopped early)"
                    : measured < 2000 ? "not judged (the target asks for 2,000 steps)"
                    : Math.abs(largest) <= 2 ? "met" : "missed";
            md.append(f("| RSS flat within 2%% over 2,000 steps after warm-up | %+.2f%% from step "
                    + "%d to %d (largest deviation %+.2f%%) | %s |%n", g, warmup, done, largest,
                    verdict));
        }
        md.append("\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
