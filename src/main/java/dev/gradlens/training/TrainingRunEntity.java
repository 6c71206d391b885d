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
 * {@value #MANUAL} run.
 */
@Entity
@Table(name = "training_runs")
public class TrainingRunEntity {

    public static final String MANUAL = "manual";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID modelId;
    private String kind;
    private Instant createdAt;

    protected TrainingRunEntity() {
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
}
