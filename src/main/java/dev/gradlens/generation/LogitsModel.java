package dev.gradlens.generation;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A language model as {@link Generator} sees it: {@code Transformer::logits}.
 */
@FunctionalInterface
public interface LogitsModel {

    /**
     * @param inputs B sequences of token ids
     * @return logits [B, T, V], T the longest input
     */
    INDArray logits(List<int[]> inputs);
}
