package dev.gradlens.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's matmul throughput at one moment: the faster of two 2048² float32 products into a
 * preallocated output, about 0.2 s. Timed in every round of a step comparison, right before the
 * engine's step, so that the engine's share of the limit can be taken against what the machine
 * gave in that same round: on this shared 2-core machine the limit measured at the start of a run
 * moved from 142 to 205 GFLOP/s within one afternoon.
 */
final class RoundLimit implements AutoCloseable {

    private static final int SIZE = 2048;
    private static final double FLOPS = 2.0 * SIZE * SIZE * SIZE;

    // [SIZE, SIZE] each; the output is overwritten by every product
    private final INDArray left = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    private final INDArray right = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    private final INDArray out = Nd4j.create(DataType.FLOAT, SIZE, SIZE);

    /** GFLOP/s of the faster of two products. */
    double measure() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(left, right, out, false, false, 1.0, 0.0);
            best = Math.min(best, System.nanoTime() - start);
        }
        return FLOPS / (best / 1e9) / 1e9;
    }

    @Override
    public void close() {
        left.close();
        right.close();
        out.close();
    }
}
