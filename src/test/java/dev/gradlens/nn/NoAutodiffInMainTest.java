package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Product code must spell out every derivative: no SameDiff, no automatic differentiation. */
class NoAutodiffInMainTest {

    @Test
    void noMainSourceImportsNd4jAutodiff() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(main), "run from the project root: " + main.toAbsolutePath());

        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(NoAutodiffInMainTest::usesAutodiff)
                    .toList();
        }

        assertEquals(List.of(), offenders);
    }

    private static boolean usesAutodiff(Path file) {
        try {
            return Files.readString(file).contains("org.nd4j.autodiff");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
