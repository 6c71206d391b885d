package dev.gradlens.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's float32 matrix-multiply throughput into preallocated outputs: the big squares give the
 * practical limit of the machine, the model shapes what the engine can hope for at its sizes.
 */
final class MatmulLimit {

    /** Seconds of warm-up per shape, then this many timed samples of at least SAMPLE_SECONDS. */
    private static final double WARMUP_SECONDS = 0.3;
    private static final int SAMPLES = 5;
    private static final double SAMPLE_SECONDS = 0.25;

    private MatmulLimit() {
    }

    /** A product out = op(a)·op(b) of 2-D or batched 4-D arrays, with its FLOP count. */
    record Shape(String name, long[] a, long[] b, boolean transposeA, boolean transposeB) {

        double flops() {
            int r = a.length;
            long m = transposeA ? a[r - 1] : a[r - 2];
            long k = transposeA ? a[r - 2] : a[r - 1];
            long n = transposeB ? b[r - 2] : b[r - 1];
            double batch = 1;
            for (int i = 0; i < r - 2; i++) {
                batch *= a[i];
            }
            return 2.0 * batch * m * k * n;
        }

        long[] out() {
            int r = a.length;
            long[] shape = a.clone();
            shape[r - 2] = transposeA ? a[r - 1] : a[r - 2];
            shape[r - 1] = transposeB ? b[r - 2] : b[r - 1];
            return shape;
        }
    }

    static Shape square(int n) {
        return new Shape(n + "x" + n + " · " + n + "x" + n, new long[] {n, n}, new long[] {n, n},
                false, false);
    }

    /** The products one training step of config runs, forward and backward. */
    static List<Shape> modelShapes(BenchConfig c) {
        long n = c.tokens();
        long w = c.width();
        long f = 4L * w;
        long d = w / c.heads();
        long[] heads = {c.batch(), c.heads(), c.length(), d};
        long[] scores = {c.batch(), c.heads(), c.length(), c.length()};
        String p = "(" + c.name() + ") ";
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape(p + "x·Wqkvo [N,C]·[C,C]", new long[] {n, w}, new long[] {w, w},
                false, false));
        shapes.add(new Shape(p + "x·W1 [N,C]·[C,4C]", new long[] {n, w}, new long[] {w, f},
                false, false));
        shapes.add(new Shape(p + "h·W2 [N,4C]·[4C,C]", new long[] {n, f}, new long[] {f, w},
                false, false));
        shapes.add(new Shape(p + "dW1 = xᵀ·dH [C,N]·[N,4C]", new long[] {n, w},
                new long[] {n, f}, true, false));
        shapes.add(new Shape(p + "dX = dH·W1ᵀ [N,4C]·[4C,C]", new long[] {n, f},
                new long[] {w, f}, false, true));
        shapes.add(new Shape(p + "x·Whead [N,C]·[C,V]", new long[] {n, w},
                new long[] {w, c.vocab()}, false, false));
        shapes.add(new Shape(p + "Q·Kᵀ [B,H,T,D]·[B,H,D,T]", heads, heads, false, true));
        shapes.add(new Shape(p + "P·V [B,H,T,T]·[B,H,T,D]", scores, heads, false, false));
        return shapes;
    }

    /** GFLOP/s of each shape: the median of SAMPLES timed samples. */
    static List<Map<String, Object>> measure(List<Shape> shapes, Log log) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Shape shape : shapes) {
            double gflops = gflops(shape);
            log.info("gemm %-34s %7.1f GFLOP/s", shape.name(), gflops);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("shape", shape.name());
            row.put("flops", shape.flops());
            row.put("gflops", gflops);
            results.add(row);
        }
        return results;
    }

    static double gflops(Shape shape) {
        INDArray a = Nd4j.rand(DataType.FLOAT, shape.a());
        INDArray b = Nd4j.rand(DataType.FLOAT, shape.b());
        INDArray out = Nd4j.create(DataType.FLOAT, shape.out());
        run(shape, a, b, out, WARMUP_SECONDS);
        double[] samples = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = run(shape, a, b, out, SAMPLE_SECONDS);
        }
        return Stats.median(samples);
    }

    /** Repeats the product for at least seconds; returns GFLOP/s. */
    private static double run(Shape shape, INDArray a, INDArray b, INDArray out, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long reps = 0;
        long now;
        do {
            multiply(shape, a, b, out);
            reps++;
            now = System.nanoTime();
        } while (now < deadline);
        return shape.flops() * reps / ((now - start) / 1e9) / 1e9;
    }

    private static void multiply(Shape shape, INDArray a, INDArray b, INDArray out) {
        if (shape.a().length == 2) {
            Nd4j.gemm(a, b, out, shape.transposeA(), shape.transposeB(), 1.0, 0.0);
        } else {
            Nd4j.matmul(a, b, out, shape.transposeA(), shape.transposeB(), false);
        }
    }
}
