package dev.gradlens.training;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One evaluation of a background run: mean loss over evalBatches batches of the training part
 * and of the validation part of the dataset, after run step {@code runStep}.
 */
@Entity
@Table(name = "run_evaluations")
public class EvaluationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long runId;
    private long stepNumber;
    private int runStep;
    private double trainLoss;
    private double valLoss;
    private Instant createdAt;

    protected EvaluationEntity() {
    }

    EvaluationEntity(Long runId, long stepNumber, int runStep, double trainLoss, double valLoss,
            Instant createdAt) {
        this.runId = runId;
        this.stepNumber = stepNumber;
        this.runStep = runStep;
        this.trainLoss = trainLoss;
        this.valLoss = valLoss;
        this.createdAt = createdAt;
    }

    EvaluationView view() {
        return new EvaluationView(runStep, stepNumber, finiteOrNull(trainLoss),
                finiteOrNull(valLoss), createdAt);
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
