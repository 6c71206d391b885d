package dev.gradlens.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The histogram against NumPy itself: the same values through {@code np.histogram} in a python3
 * process give the same edges, bit for bit, and the same counts. Skipped without python3 and
 * numpy.
 */
class HistogramNumpyTests {

    @Test
    void shouldMatchNumpyOnValuesThatSitOnEdges() throws Exception {
        double[] values = new double[2000];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            // multiples of 0.01 sit on or near the edges of 10, 20 or 50 equal bins
            values[i] = i % 2 == 0 ? Math.round(random.nextGaussian() * 100) / 100.0
                    : random.nextGaussian() * 0.02;
        }
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();

        for (int bins : new int[] {7, 10, 20, 50}) {
            Histogram histogram = Histogram.of(values, bins, min, max);
            String[] numpy = numpyHistogram(values, bins);
            assertThat(join(histogram.counts())).as("counts, %d bins", bins).isEqualTo(numpy[0]);
            assertThat(histogram.edges()).as("edges, %d bins", bins)
                    .containsExactly(parseHex(numpy[1]));
        }
    }

    /** [counts, edges as hex floats] from np.histogram, one line each. */
    private static String[] numpyHistogram(double[] values, int bins) throws Exception {
        String code = "import sys, numpy as np\n"
                + "x = np.array([float.fromhex(s) for s in sys.stdin.read().split()])\n"
                + "c, e = np.histogram(x, " + bins + ")\n"
                + "print(' '.join(str(v) for v in c))\n"
                + "print(' '.join(float(v).hex() for v in e))\n";
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c", code).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed");
            throw e;
        }
        process.getOutputStream().write(hex(values).getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        assumeTrue(status == 0, "python3 with numpy is not available");
        return out.strip().split("\n");
    }

    private static String hex(double[] values) {
        return Arrays.stream(values).mapToObj(HistogramNumpyTests::pythonHex)
                .collect(Collectors.joining(" "));
    }

    /** Python's float.hex() spelling of a double, e.g. 0x1.999999999999ap-4. */
    private static String pythonHex(double v) {
        if (v == 0) {
            return (1 / v < 0 ? "-" : "") + "0x0.0p+0";
        }
        String java = Double.toHexString(v);
        String mantissa = java.substring(0, java.indexOf('p'));
        String exponent = java.substring(java.indexOf('p') + 1);
        if (!mantissa.contains(".")) {
            mantissa += ".0";
        }
        return mantissa + "p" + (exponent.startsWith("-") ? exponent : "+" + exponent);
    }

    private static double[] parseHex(String line) {
        return Arrays.stream(line.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String join(long[] counts) {
        return Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }
}
