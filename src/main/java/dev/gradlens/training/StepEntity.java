package dev.gradlens.training;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * One acknowledged training step: what it measured and each parameter's gradient norm (one
 * JSON column, see {@link GradNormsColumn}).
 * {@code stepNumber} counts the model's recorded steps (1, 2, ...), including those that computed
 * gradients only; {@code optimizerStep} is the engine's count of applied updates after it.
 */
@Entity
@Table(name = "training_steps")
public class StepEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long runId;
    private UUID modelId;
    private long stepNumber;
    private long optimizerStep;
    private double loss;
    private double gradNorm;
    private double learningRate;
    private long tokens;
    private long durationMs;
    private Double durationSeconds; // unrounded; null on rows written before it was stored
    private boolean applied;
    private boolean finite;
    private Instant createdAt;

    @Convert(converter = GradNormsColumn.class)
    @Column(name = "grad_norms", nullable = false, updatable = false)
    @Immutable
    private Map<String, Double> gradNorms = Map.of(); // in parameter order, never modified

    protected StepEntity() {
    }

    /** A step as measured; {@code gradNorms} in parameter order. */
    public StepEntity(Long runId, UUID modelId, long stepNumber, long optimizerStep,
            Measures measures, Map<String, Double> gradNorms, Instant createdAt) {
        this.runId = runId;
        this.modelId = modelId;
        this.stepNumber = stepNumber;
        this.optimizerStep = optimizerStep;
        this.loss = measures.loss();
        this.gradNorm = measures.gradNorm();
        this.learningRate = measures.learningRate();
        this.tokens = measures.tokens();
        this.durationMs = measures.durationMs();
        this.applied = measures.applied();
        this.finite = measures.finite();
        this.gradNorms = Collections.unmodifiableMap(new LinkedHashMap<>(gradNorms));
        this.createdAt = createdAt;
    }

    /** The figures of one step. */
    public record Measures(double loss, double gradNorm, double learningRate, long tokens,
            long durationMs, boolean applied, boolean finite) {
    }

    public Long getId() {
        return id;
    }

    public Long getRunId() {
        return runId;
    }

    public UUID getModelId() {
        return modelId;
    }

    public long getStepNumber() {
        return stepNumber;
    }

    public long getOptimizerStep() {
        return optimizerStep;
    }

    public Measures measures() {
        return new Measures(loss, gradNorm, learningRate, tokens, durationMs, applied, finite);
    }

    /** Sets the measured duration, e.g. once the update that follows the write has run. */
    void setDuration(long nanos) {
        this.durationMs = nanos / 1_000_000;
        this.durationSeconds = nanos / 1e9;
    }

    /** Marks the step not finite: its applied update overflowed (see StepResult#finite). */
    void markNotFinite() {
        this.finite = false;
    }

    /** The training time in seconds: unrounded, or from durationMs on rows older than it. */
    public double durationSeconds() {
        return durationSeconds != null ? durationSeconds : durationMs / 1000.0;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Map<String, Double> getGradNorms() {
        return gradNorms;
    }
}
