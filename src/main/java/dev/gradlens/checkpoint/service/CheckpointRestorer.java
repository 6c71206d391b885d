package dev.gradlens.checkpoint.service;

import dev.gradlens.checkpoint.Checkpoint;
import dev.gradlens.checkpoint.CheckpointProblem;
import dev.gradlens.checkpoint.CheckpointStore;
import dev.gradlens.checkpoint.LoadResult;
import dev.gradlens.checkpoint.StoredCheckpoint;
import dev.gradlens.model.ModelEntity;
import dev.gradlens.model.ModelRegistry;
import dev.gradlens.model.ModelRepository;
import dev.gradlens.model.ModelService;
import dev.gradlens.training.StepRepository;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * At startup, makes every stored model live again from its newest readable checkpoint. A newer
 * file that is corrupt or truncated is reported at ERROR and the one before it is used; a model
 * without a readable checkpoint stays listed with {@code loaded: false}.
 */
@Component
@Order(1)
class CheckpointRestorer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CheckpointRestorer.class);

    private final ModelRepository modelRows;
    private final ModelRegistry registry;
    private final ModelService models;
    private final StepRepository steps;
    private final CheckpointStore store;

    CheckpointRestorer(ModelRepository modelRows, ModelRegistry registry, ModelService models,
            StepRepository steps, CheckpointStore store) {
        this.modelRows = modelRows;
        this.registry = registry;
        this.models = models;
        this.steps = steps;
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) {
        int restored = 0;
        for (ModelEntity row : modelRows.findAllByOrderByCreatedAtAscIdAsc()) {
            if (!registry.isLoaded(row.getId()) && restore(row)) {
                restored++;
            }
        }
        log.info("Restored {} models from checkpoints in {}", restored, store.root());
    }

    private boolean restore(ModelEntity row) {
        try {
            LoadResult result = store.loadLatest(row.getId().toString());
            for (CheckpointProblem problem : result.problems()) {
                log.error("Model {}: checkpoint {} is unusable ({}); using an older one",
                        row.getId(), problem.file(), problem.reason());
            }
            if (result.latest().isEmpty()) {
                log.warn("Model {} has no readable checkpoint: listed as not loaded",
                        row.getId());
                return false;
            }
            return restoreFrom(row, result.latest().get());
        } catch (IOException | RuntimeException e) {
            log.error("Model {} could not be restored: {}", row.getId(), e.toString());
            return false;
        }
    }

    private boolean restoreFrom(ModelEntity row, StoredCheckpoint stored) {
        Checkpoint checkpoint = stored.checkpoint();
        if (!checkpoint.config().equals(row.config())) {
            log.error("Model {}: checkpoint {} holds another configuration ({}); not restored",
                    row.getId(), stored.file(), checkpoint.config());
            return false;
        }
        long lastStep = steps.findMaxStepNumber(row.getId()).orElse(0L);
        models.restore(row, checkpoint.restore(), lastStep);
        log.info("Model {} restored from {} (optimizer step {}, {} recorded steps)",
                row.getId(), stored.file(), checkpoint.step(), lastStep);
        return true;
    }
}
