package dev.gradlens.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-checks the format with an independent reader and writer in Python (numpy only:
 * {@code safetensors_check.py}). Skipped when python3 or numpy is missing.
 */
class SafetensorsPythonTest {

    @TempDir
    static Path dir;

    private static Path script;

    @BeforeAll
    static void findPythonWithNumpy() throws IOException, InterruptedException {
        Run probe = run(List.of("python3", "-c", "import numpy"));
        assumeTrue(probe.exitCode == 0, "python3 with numpy is not available: " + probe.output);
        script = dir.resolve("safetensors_check.py");
        try (InputStream in = SafetensorsPythonTest.class
                .getResourceAsStream("safetensors_check.py")) {
            Files.copy(in, script);
        }
    }

    /** The tensors the script expects: element i is 0.25·i − 3. */
    private static Map<String, INDArray> expectedTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("token_embedding.weight",
                Nd4j.create(SafetensorsRoundTripTest.floats(12), new long[] {4, 3}, 'c'));
        tensors.put("blocks.0.attention.q.weight", Nd4j.create(new double[] {-3, -2.75, -2.5,
            -2.25, -2, -1.75, -1.5, -1.25, -1, -0.75, -0.5, -0.25}, new long[] {2, 3, 2}, 'c'));
        tensors.put("scale", Nd4j.scalar(-3f));
        tensors.put("bias", Nd4j.create(new double[] {-3, -2.75, -2.5, -2.25, -2}));
        return tensors;
    }

    @Test
    void numpyReadsWhatJavaWrites() throws IOException, InterruptedException {
        Path file = dir.resolve("from-java.safetensors");
        SafetensorsWriter.write(file, expectedTensors(), Map.of("source", "java"));

        Run check = run(List.of("python3", script.toString(), "read", file.toString()));

        assertThat(check.output).isEqualTo("ok\n");
        assertThat(check.exitCode).isZero();
    }

    @Test
    void javaReadsWhatNumpyWrites() throws IOException, InterruptedException {
        Path file = dir.resolve("from-python.safetensors");
        Run write = run(List.of("python3", script.toString(), "write", file.toString()));
        assertThat(write.output).isEqualTo("ok\n");

        SafetensorsFile read = SafetensorsReader.read(file);

        assertThat(read.metadata()).containsExactly(Map.entry("source", "python"));
        assertThat(read.tensorInfos().keySet()).containsExactly("bias", "scale",
                "blocks.0.attention.q.weight", "token_embedding.weight");
        for (Map.Entry<String, INDArray> entry : expectedTensors().entrySet()) {
            SafetensorsRoundTripTest.assertBitIdentical(read.tensor(entry.getKey()),
                    entry.getValue());
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(-1, "timed out: " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
