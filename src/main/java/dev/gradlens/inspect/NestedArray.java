package dev.gradlens.inspect;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Values in C order written as nested JSON arrays of the given shape ({@code [[1, 2], [3, 4]]}
 * for shape [2, 2]; a bare number for shape []). NaN and infinities are written as null.
 */
@JsonSerialize(using = NestedArray.Serializer.class)
public record NestedArray(long[] shape, double[] values) {

    static final class Serializer extends ValueSerializer<NestedArray> {

        @Override
        public void serialize(NestedArray array, JsonGenerator gen, SerializationContext context) {
            write(array, gen, 0, 0);
        }

        /** Writes dimension {@code dim} starting at flat index {@code offset}; returns the end. */
        private static int write(NestedArray array, JsonGenerator gen, int dim, int offset) {
            if (dim == array.shape.length) {
                double v = array.values[offset];
                if (Double.isFinite(v)) {
                    gen.writeNumber(v);
                } else {
                    gen.writeNull();
                }
                return offset + 1;
            }
            gen.writeStartArray();
            int next = offset;
            for (long i = 0; i < array.shape[dim]; i++) {
                next = write(array, gen, dim + 1, next);
            }
            gen.writeEndArray();
            return next;
        }
    }
}
