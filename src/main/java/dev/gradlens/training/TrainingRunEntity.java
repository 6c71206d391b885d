package dev.gradlens.training;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A run groups the steps of one model. Steps posted one by one belong to the model's single
 * {@value #MANUAL} run; a {@value #BACKGROUND} run trains on a dataset and has a status and its
 * settings (null for manual runs).
 */
@Entity
@Table(name = "training_runs")
public class TrainingRunEntity {

    public static final String MANUAL = "manual";
    public static final String BACKGROUND = "background";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID modelId;
    private String kind;
    private Instant createdAt;

    private String status;
    private UUID datasetId;
    private Integer steps;
    private Integer batchSize;
    private Integer seqLen;
    private Integer evalInterval;
    private Integer evalBatches;
    private Integer checkpointInterval;
    private Long seed;
    private String lrOverride;
    private Instant startedAt;
    private Instant finishedAt;
    private String error;

    protected TrainingRunEntity() {
    }

    /** A queued background run. */
    TrainingRunEntity(UUID modelId, RunSpec spec, String lrOverride, Instant createdAt) {
        this(modelId, BACKGROUND, createdAt);
        this.status = RunStatus.QUEUED.label();
        this.datasetId = spec.datasetId();
        this.steps = spec.steps();
        this.batchSize = spec.batchSize();
        this.seqLen = spec.seqLen();
        this.evalInterval = spec.evalInterval();
        this.evalBatches = spec.evalBatches();
        this.checkpointInterval = spec.checkpointInterval();
        this.seed = spec.seed();
        this.lrOverride = lrOverride;
    }

    public TrainingRunEntity(UUID modelId, String kind, Instant createdAt) {
        this.modelId = modelId;
        this.kind = kind;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public UUID getModelId() {
        return modelId;
    }

    public String getKind() {
        return kind;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** The status of a background run; null for the manual run. */
    public RunStatus status() {
        return status == null ? null : RunStatus.of(status);
    }

    void setStatus(RunStatus status) {
        this.status = status.label();
    }

    public UUID getDatasetId() {
        return datasetId;
    }

    /** The settings of a background run (null for the manual run). */
    RunSpec spec() {
        return steps == null ? null : new RunSpec(datasetId, steps, batchSize, seqLen,
                evalInterval, evalBatches, checkpointInterval, seed, null);
    }

    String getLrOverride() {
        return lrOverride;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    void setStartedAt(Instant startedAt) {
        this.startedAt = startedAt;
    }

    Instant getFinishedAt() {
        return finishedAt;
    }

    void setFinishedAt(Instant finishedAt) {
        this.finishedAt = finishedAt;
    }

    String getError() {
        return error;
    }

    void setError(String error) {
        this.error = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
    }
}
