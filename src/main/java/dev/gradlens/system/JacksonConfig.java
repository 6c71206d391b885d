package dev.gradlens.system;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON in, valid JSON out.
 *
 * <p>Reading: unknown fields fail (Boot relaxes this by default), so does a field given twice
 * (which of the two would count is not for the parser to guess), and nothing is coerced across
 * types: {@code "12"} or {@code "NaN"} is no number, {@code 1.5} is no integer, {@code 1} is no
 * boolean or string, and an array is no string even in a list of strings ({@link
 * StrictJsonInput}, which also locates a parser limit passed inside an object). Bare {@code
 * NaN}/{@code Infinity} tokens are refused by Jackson's parser already. Writing: a NaN or infinite
 * double or float, alone or in a {@code double[]}, becomes {@code null}. Doubles are written by
 * Jackson's fast writer (the shortest decimal that reads back as the same double, as Java 19's
 * {@code Double.toString}); Java 17's showed in a step's profile.
 */
@Configuration(proxyBeanMethods = false)
class JacksonConfig {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(finiteNumbersOnly())
                .addModule(StrictJsonInput.module());
    }

    private static SimpleModule finiteNumbersOnly() {
        SimpleModule module = new SimpleModule("gradlens-finite-numbers");
        module.addSerializer(Double.class, new FiniteDoubleSerializer());
        module.addSerializer(Double.TYPE, new FiniteDoubleSerializer());
        module.addSerializer(Float.class, new FiniteFloatSerializer());
        module.addSerializer(Float.TYPE, new FiniteFloatSerializer());
        module.addSerializer(double[].class, new FiniteDoubleArraySerializer());
        return module;
    }

    private static final class FiniteDoubleSerializer extends ValueSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializationContext context) {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    /** Arrays of doubles (histogram edges) bypass the element serializer: same rule here. */
    private static final class FiniteDoubleArraySerializer extends ValueSerializer<double[]> {
        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializationContext context) {
            gen.writeStartArray(values, values.length);
            for (double value : values) {
                if (Double.isFinite(value)) {
                    gen.writeNumber(value);
                } else {
                    gen.writeNull();
                }
            }
            gen.writeEndArray();
        }
    }

    private static final class FiniteFloatSerializer extends ValueSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator gen, SerializationContext context) {
            if (Float.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }
}
