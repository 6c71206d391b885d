package dev.gradlens.training;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A step's gradient norms in one text column, as a JSON object in parameter order:
 * {@code {"token_embedding.weight": 0.91, ...}}. A norm that is not finite is written as the
 * string "NaN", "Infinity" or "-Infinity" (Jackson's default), so the column always holds valid
 * JSON and reads back the same double.
 *
 * <p>One column instead of a row per parameter: a step of a 4-layer model writes one row, not 71,
 * which took about 0.7 ms off every step's database write.
 */
@Converter
public final class GradNormsColumn implements AttributeConverter<Map<String, Double>, String> {

    // the fast double writer: JDK 17's Double.toString showed in the step's profile
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    private static final TypeReference<LinkedHashMap<String, Double>> MAP = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, Double> norms) {
        return JSON.writeValueAsString(norms == null ? Map.of() : norms);
    }

    @Override
    public Map<String, Double> convertToEntityAttribute(String column) {
        if (column == null || column.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(JSON.readValue(column, MAP));
    }
}
