package dev.gradlens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark of issue 5: matrix-multiply limit, engine against SameDiff per configuration,
 * memory, thread count, resident memory over a long run and the cost of the HTTP layer. Writes
 * bench/results/latest.json and latest.md. Run it with {@code bench/run.sh}.
 *
 * <p>Options: {@code --quick} (fewer rounds, short long run: a smoke test, not for the README;
 * it writes bench/results/quick.json and quick.md, so the published latest stays),
 * {@code --only=limit,check,steps,memory,threads,long,http} (a subset), {@code --profile=c}
 * (a sampling profile of the engine on one configuration, printed), {@code --configs=a,b}
 * (the configurations of the step and memory parts; a subset of parts or configurations writes
 * bench/results/partial.*), {@code --name=x} (write bench/results/x.json and x.md instead).
 * Measurements that must not
 * see each other (memory, thread counts, the long run, the Spring application) run in child JVMs
 * started with {@code --child=...}.
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final List<String> PARTS = List.of("limit", "check", "steps", "memory", "threads",
            "long", "http");
    static final List<String> IMPLEMENTATIONS = List.of("engine", "samediff-fit",
            "samediff-grad");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("child")) {
            Object result = child(options);
            JSON.writeValue(new File(options.get("out")), result);
            System.exit(0);
        }
        if (options.containsKey("render")) { // Markdown of a results file, e.g. a long run
            Path json = Path.of(options.get("render"));
            Files.writeString(Path.of(json.toString().replaceAll("\\.json$", ".md")),
                    Report.markdown(JSON.readTree(json.toFile())));
            return;
        }
        if (options.containsKey("profile")) {
            Profile.run(BenchConfig.byName(options.get("profile")),
                    Integer.parseInt(options.getOrDefault("steps", "10")), new Log("profile"));
            return;
        }
        boolean quick = options.containsKey("quick");
        List<String> parts = options.containsKey("only")
                ? Arrays.asList(options.get("only").split(","))
                : PARTS;
        Log log = new Log("bench");
        long start = System.nanoTime();

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("quick", quick);
        results.put("machine", Machine.describe());
        log.info("machine: %s", results.get("machine"));
        List<BenchConfig> configs = Arrays.stream(options.getOrDefault("configs", "a,b,c")
                .split(",")).map(BenchConfig::byName).toList();

        if (parts.contains("limit")) {
            results.put("matmul", matmul(configs, log));
        }
        if (parts.contains("check")) {
            results.put("agreement", AgreementCheck.run(BenchConfig.A, 3));
            log.info("agreement: %s", results.get("agreement"));
        }
        if (parts.contains("steps")) {
            Map<String, Object> steps = new LinkedHashMap<>();
            for (BenchConfig config : configs) {
                boolean big = config == BenchConfig.C;
                int warmup = big ? 1 : (quick ? 2 : 3);
                int rounds = big ? (quick ? 2 : 9) : (quick ? 5 : 40);
                steps.put(config.name(), StepComparison.run(config, warmup, rounds, log));
            }
            results.put("steps", steps);
        }
        if (parts.contains("memory")) {
            List<Object> memory = new ArrayList<>();
            for (BenchConfig config : configs) {
                int steps = config == BenchConfig.C ? 3 : (quick ? 8 : 10);
                for (String impl : IMPLEMENTATIONS) {
                    memory.add(fork(Map.of(), "memory", "--config=" + config.name(),
                            "--impl=" + impl, "--steps=" + steps));
                }
            }
            results.put("memory", memory);
        }
        if (parts.contains("threads")) {
            List<Object> threads = new ArrayList<>();
            threads.add(fork(Map.of("OMP_NUM_THREADS", "1"), "threads"));
            threads.add(fork(Map.of("OMP_NUM_THREADS", "2"), "threads"));
            threads.add(fork(Map.of("OMP_NUM_THREADS", "2", "OMP_WAIT_POLICY", "PASSIVE"),
                    "threads"));
            results.put("threads", threads);
        }
        if (parts.contains("long")) {
            // the warm-up must hold a full cycle of the old generation: ND4J frees a tensor's
            // native memory only when its Java object is collected, so resident memory climbs
            // to the high-water mark of that cycle: about 1,370 MiB for (a), reached before step
            // 500 by the engine of 2026-12-04 morning and between steps 1,000 and 1,400 since
            // its afternoon changes (bench/README.md)
            int warmup = quick ? 100 : 1500;
            int steps = quick ? 200 : 2000;
            results.put("longRun", fork(Map.of(), "long", "--warmup=" + warmup,
                    "--steps=" + steps));
        }
        if (parts.contains("http")) {
            results.put("http", fork(Map.of(), "http", "--rounds=" + (quick ? 5 : 200),
                    "--path-warmup=" + (quick ? 100 : 5000)));
        }
        results.put("loadAverageAtEnd", Machine.loadAverage());
        results.put("seconds", (System.nanoTime() - start) / 1e9);

        Path dir = Path.of("bench", "results");
        Files.createDirectories(dir);
        String name = options.getOrDefault("name", defaultName(options));
        JSON.writeValue(dir.resolve(name + ".json").toFile(), results);
        Files.writeString(dir.resolve(name + ".md"), Report.markdown(JSON.valueToTree(results)));
        log.info("wrote %s.json and %s.md in %.0f s", dir.resolve(name), name,
                (System.nanoTime() - start) / 1e9);
    }

    /** Only a full run replaces the published latest; a smoke test or a subset goes aside. */
    private static String defaultName(Map<String, String> options) {
        if (options.containsKey("quick")) {
            return "quick";
        }
        boolean subset = options.containsKey("only") || options.containsKey("configs");
        return subset ? "partial" : "latest";
    }

    private static Map<String, Object> matmul(List<BenchConfig> configs, Log log) {
        Map<String, Object> matmul = new LinkedHashMap<>();
        List<MatmulLimit.Shape> squares = new ArrayList<>();
        for (int n : new int[] {256, 512, 1024, 2048}) {
            squares.add(MatmulLimit.square(n));
        }
        List<Map<String, Object>> square = MatmulLimit.measure(squares, log);
        matmul.put("square", square);
        double limit = square.stream().filter(r -> !r.get("shape").toString().startsWith("256")
                && !r.get("shape").toString().startsWith("512"))
                .mapToDouble(r -> (double) r.get("gflops")).max().orElseThrow();
        matmul.put("limitGflops", limit);
        List<MatmulLimit.Shape> shapes = new ArrayList<>();
        for (BenchConfig config : configs) {
            shapes.addAll(MatmulLimit.modelShapes(config));
        }
        matmul.put("modelShapes", MatmulLimit.measure(shapes, log));
        return matmul;
    }

    private static Object child(Map<String, String> options) throws Exception {
        Log log = new Log(options.get("child"));
        return switch (options.get("child")) {
            case "memory" -> Probes.memory(options.get("impl"),
                    BenchConfig.byName(options.get("config")),
                    Integer.parseInt(options.get("steps")), log);
            case "threads" -> Probes.threads(List.of(BenchConfig.A, BenchConfig.B,
                    BenchConfig.C), log);
            case "long" -> Probes.longRun(BenchConfig.A,
                    Integer.parseInt(options.getOrDefault("warmup", "500")),
                    Integer.parseInt(options.get("steps")), 100, log, new File(options.get("out")));
            case "http" -> HttpCost.run(BenchConfig.A, 5, Integer.parseInt(options.get("rounds")),
                    Integer.parseInt(options.getOrDefault("path-warmup", "5000")), log);
            default -> throw new IllegalArgumentException("no child " + options.get("child"));
        };
    }

    /**
     * The service's own heap settings (pom.xml, Dockerfile): a tensor's native memory is freed
     * when the collector finds its Java object dead, and these settings keep that cycle steady.
     */
    static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
            "-Xmn128m", "-XX:InitiatingHeapOccupancyPercent=10", "-XX:-G1UseAdaptiveIHOP",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0");

    /** Runs this class in a fresh JVM with --child=kind and returns the JSON it wrote. */
    private static Object fork(Map<String, String> env, String kind, String... args)
            throws Exception {
        Path out = Files.createTempFile("bench-" + kind, ".json");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java")));
        // the service's settings where the service is measured (long run, HTTP); elsewhere a
        // plain heap, so that memory compares the implementations, not a pre-touched heap
        boolean service = kind.equals("long") || kind.equals("http");
        command.addAll(service ? HEAP : List.of("-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=4g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=7g"));
        command.addAll(List.of("-Dlogback.configurationFile=bench/logback-bench.xml",
                "-cp", System.getProperty("java.class.path"), Bench.class.getName(),
                "--child=" + kind, "--out=" + out));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (kind.equals("threads")) { // each setting exactly as given
            builder.environment().remove("OMP_NUM_THREADS");
            builder.environment().remove("OMP_WAIT_POLICY");
        }
        builder.environment().putAll(env);
        int code = builder.start().waitFor();
        if (code != 0) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("child", kind);
            failed.put("args", List.of(args));
            failed.put("failedWithExitCode", code);
            return failed;
        }
        Object result = JSON.readValue(out.toFile(), Object.class);
        Files.delete(out);
        return result;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String[] kv = arg.substring(2).split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return options;
    }
}
