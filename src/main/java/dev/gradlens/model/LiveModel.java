package dev.gradlens.model;

import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.text.Tokenizer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A model held in memory: the engine's Transformer and Trainer, the tokenizer, and what the latest
 * step left behind for inspection. All of it is read and written only under {@link #locked}, so
 * work on one model is serialized while different models run in parallel.
 */
public final class LiveModel {

    private final UUID id;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicReference<Long> activeRun = new AtomicReference<>();

    private Trainer trainer;

    private boolean removed;
    private long lastStepNumber;
    private Long manualRunId;
    private Map<String, Double> lastUpdateRatios = Map.of();

    LiveModel(UUID id, Transformer transformer, Trainer trainer, Tokenizer tokenizer) {
        this.id = id;
        this.transformer = transformer;
        this.trainer = trainer;
        this.tokenizer = tokenizer;
    }

    /**
     * Runs {@code work} while holding this model's lock.
     *
     * @throws dev.gradlens.system.ApiException 404 when the model was deleted while waiting
     */
    public <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            if (removed) {
                throw ModelService.unknownModel(id);
            }
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void markRemoved() {
        removed = true;
    }

    ReentrantLock lock() {
        return lock;
    }

    public UUID id() {
        return id;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Trainer trainer() {
        return trainer;
    }

    /**
     * Puts another trainer (same model, other optimizer settings) in place; call under the lock.
     */
    public void replaceTrainer(Trainer replacement) {
        this.trainer = replacement;
    }

    /**
     * Marks the model as trained by a background run, unless another run has it.
     *
     * @return whether this run now has the model
     */
    public boolean claimForRun(long runId) {
        return activeRun.compareAndSet(null, runId);
    }

    /** Ends the claim of {@link #claimForRun}. */
    public void releaseRun(long runId) {
        activeRun.compareAndSet(runId, null);
    }

    /** The background run that has this model (queued or running), or null. */
    public Long activeRun() {
        return activeRun.get();
    }

    /** The tokenizer, or null when the model takes token ids only. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Number of the latest recorded step of this model (0 before the first). */
    public long lastStepNumber() {
        return lastStepNumber;
    }

    /** The run that groups this model's manual steps, once the first step created it. */
    public Long manualRunId() {
        return manualRunId;
    }

    public void setManualRunId(Long runId) {
        this.manualRunId = runId;
    }

    /** ‖ΔW‖/‖W‖ per parameter of the latest step (empty before the first step). */
    public Map<String, Double> lastUpdateRatios() {
        return lastUpdateRatios;
    }

    /** Records that step {@code stepNumber} completed and was stored. */
    public void stepRecorded(long stepNumber, Map<String, Double> updateRatios) {
        this.lastStepNumber = stepNumber;
        this.lastUpdateRatios = Map.copyOf(updateRatios);
    }
}
