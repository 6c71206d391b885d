package dev.gradlens.inspect;

import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelService;
import dev.gradlens.nn.Parameter;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.stereotype.Service;

/**
 * Reads a live model's gradients (of its latest step) and weights: statistics per parameter, or
 * one whole tensor. Tensors are copied under the model's lock, so a read never sees half a step.
 */
@Service
public class InspectionService {

    /** Which tensor of a parameter to read. */
    public enum Kind {
        GRADIENT("gradient"), PARAMETER("parameter");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        INDArray of(Parameter parameter) {
            return this == GRADIENT ? parameter.grad() : parameter.value();
        }
    }

    static final int DEFAULT_BINS = 20;

    private final ModelService models;
    private final GradlensProperties properties;

    InspectionService(ModelService models, GradlensProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    /**
     * Statistics of every parameter's gradient or weights, with a {@code bins}-bin histogram.
     *
     * @throws ApiException 400 for bins outside [1, max-histogram-bins], 404 for an unknown model,
     *     409 when it is not loaded
     */
    public StatsView stats(UUID modelId, Kind kind, Integer bins) {
        int binCount = checkedBins(bins);
        LiveModel live = models.requireLive(modelId);
        record Copied(long step, List<TensorCopy> tensors, Map<String, Double> ratios) {
        }
        Copied copied = live.locked(() -> new Copied(live.lastStepNumber(),
                live.transformer().parameters().stream()
                        .map(p -> TensorCopy.of(p.name(), kind.of(p))).toList(),
                live.lastUpdateRatios()));

        List<TensorStats> stats = copied.tensors().stream()
                .map(t -> TensorStats.of(t.name(), t.shape(), t.values(), binCount,
                        copied.step() == 0 ? null : copied.ratios().get(t.name())))
                .toList();
        return new StatsView(modelId, kind.label, copied.step(), binCount, stats);
    }

    /**
     * One parameter's whole gradient or weight tensor.
     *
     * @throws ApiException 404 for an unknown model or parameter, 409 when it is not loaded
     */
    public TensorView tensor(UUID modelId, Kind kind, String name) {
        TensorRead read = read(modelId, kind, name);
        TensorCopy copy = read.copy();
        return new TensorView(copy.name(), kind.label, copy.shape(), copy.dataType(),
                read.stepNumber(), copy.nonFiniteCount(),
                new NestedArray(copy.shape(), copy.values()));
    }

    /**
     * One parameter's gradient or weight tensor as a NumPy .npy file.
     *
     * @throws ApiException 404 for an unknown model or parameter, 409 when it is not loaded
     */
    public byte[] npy(UUID modelId, Kind kind, String name) {
        return read(modelId, kind, name).copy().toNpy();
    }

    private record TensorRead(long stepNumber, TensorCopy copy) {
    }

    private TensorRead read(UUID modelId, Kind kind, String name) {
        LiveModel live = models.requireLive(modelId);
        return live.locked(() -> {
            Parameter parameter = ModelService.parameterOf(live, name);
            return new TensorRead(live.lastStepNumber(),
                    TensorCopy.of(name, kind.of(parameter)));
        });
    }

    private int checkedBins(Integer bins) {
        int max = properties.getLimits().getMaxHistogramBins();
        int value = bins == null ? DEFAULT_BINS : bins;
        if (value < 1 || value > max) {
            throw ApiException.invalid("bins", "must be between 1 and " + max + ", was " + value
                    + " (gradlens.limits.max-histogram-bins)");
        }
        return value;
    }
}
