package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** The service's JSON mapper writes NaN and infinities as null: the output stays valid JSON. */
@IntegrationTest
class FiniteJsonIntegrationTests {

    @Autowired
    JsonMapper jsonMapper;

    record Figures(double loss, Double gradNorm, float lr, Float ratio) {
    }

    @Test
    void shouldWriteNonFiniteNumbersAsNull() {
        String json = jsonMapper.writeValueAsString(new Figures(Double.NaN,
                Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN));
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        var tree = jsonMapper.readTree(json);
        for (String field : new String[] {"loss", "gradNorm", "lr", "ratio"}) {
            assertThat(tree.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void shouldWriteNonFiniteValuesInMapsAsNull() {
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("a", Double.NaN);
        norms.put("b", 2.0);
        assertThat(jsonMapper.writeValueAsString(norms)).isEqualTo("{\"a\":null,\"b\":2.0}");
    }
}
