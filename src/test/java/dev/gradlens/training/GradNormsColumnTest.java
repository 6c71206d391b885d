package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradNormsColumnTest {

    private final GradNormsColumn column = new GradNormsColumn();

    @Test
    void shouldReadBackEveryDoubleExactlyAndInOrder() {
        Random random = new Random(7);
        Map<String, Double> norms = new LinkedHashMap<>();
        for (int i = 0; i < 5_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> (double) random.nextFloat(); // a float32 norm widened
                default -> -random.nextGaussian();
            };
            norms.put("p" + (5_000 - i), value);
        }
        norms.put("nan", Double.NaN);
        norms.put("max", Double.MAX_VALUE);
        norms.put("tiny", Double.MIN_VALUE);
        norms.put("negative zero", -0.0);

        Map<String, Double> read = column.convertToEntityAttribute(
                column.convertToDatabaseColumn(norms));

        assertThat(new ArrayList<>(read.keySet())).isEqualTo(new ArrayList<>(norms.keySet()));
        List<Long> expectedBits = norms.values().stream().map(Double::doubleToLongBits).toList();
        assertThat(read.values().stream().map(Double::doubleToLongBits).toList())
                .isEqualTo(expectedBits);
    }

    @Test
    void shouldWriteTheShortestDecimalThatReadsBack() {
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("a", 0.1);
        norms.put("b", 2.0E-5);
        norms.put("c", Double.POSITIVE_INFINITY);

        assertThat(column.convertToDatabaseColumn(norms))
                .isEqualTo("{\"a\":0.1,\"b\":2.0E-5,\"c\":\"Infinity\"}");
    }
}
