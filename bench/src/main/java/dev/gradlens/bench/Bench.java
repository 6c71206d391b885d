package dev.gradlens.bench;

public final class Bench {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        var r = AgreementCheck.run(BenchConfig.byName(args.length > 0 ? args[0] : "a"), 4);
        r.forEach((k, v) -> System.out.println(k + " " + (v instanceof double[] d ? java.util.Arrays.toString(d) : v)));
        System.out.println((System.nanoTime() - t0) / 1e9 + " s");
    }
}
