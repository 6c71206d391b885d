package dev.gradlens.inspect;

/**
 * A whole tensor as JSON.
 *
 * @param kind {@code "gradient"} or {@code "parameter"}
 * @param stepNumber the model's latest recorded step when read (0 before the first)
 * @param values nested arrays of {@code shape}; non-finite elements are null and counted in
 *     {@code nonFiniteCount}
 */
public record TensorView(
        String name,
        String kind,
        long[] shape,
        String dataType,
        long stepNumber,
        long nonFiniteCount,
        NestedArray values) {
}
