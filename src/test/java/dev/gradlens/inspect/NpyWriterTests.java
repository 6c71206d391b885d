package dev.gradlens.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTests {

    @Test
    void shouldAlignHeaderTo64BytesEndingInNewline() {
        for (long[] shape : new long[][] {{3}, {2, 3}, {65, 1024}, {1, 2, 3, 4}}) {
            byte[] header = NpyWriter.headerOf(shape, "<f4");
            assertThat(header.length % 64).isZero();
            assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
            int declared = (header[8] & 0xff) | (header[9] & 0xff) << 8;
            assertThat(declared).isEqualTo(header.length - 10);
        }
        byte[] header = NpyWriter.headerOf(new long[] {3}, "<f8");
        String oneDim = new String(header, 10, header.length - 10, StandardCharsets.US_ASCII);
        assertThat(oneDim).startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }");
    }

    /** NumPy itself reads both dtypes back, shape and values included. */
    @Test
    void shouldLoadInNumpy(@TempDir Path dir) throws Exception {
        assumeTrue(hasNumpy(), "python3 with numpy is not installed");
        Path f4 = dir.resolve("a.npy");
        Path f8 = dir.resolve("b.npy");
        Files.write(f4, NpyWriter.float32(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6.5f}));
        Files.write(f8, NpyWriter.float64(new long[] {3}, new double[] {-1e-300, 0, 1e300}));
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1]); b = np.load(sys.argv[2])\n"
                + "assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape)\n"
                + "assert a[1, 2] == 6.5 and a[0, 1] == 2 and not np.isfortran(a)\n"
                + "assert b.dtype == np.float64 and b.shape == (3,)\n"
                + "assert b[0] == -1e-300 and b[2] == 1e300\n"
                + "print('ok')\n";
        Process process = new ProcessBuilder("python3", "-c", script, f4.toString(),
                f8.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.strip()).isEqualTo("ok");
    }

    private static boolean hasNumpy() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy")
                    .redirectErrorStream(true).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
