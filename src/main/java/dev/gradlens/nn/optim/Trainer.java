package dev.gradlens.nn.optim;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.ParameterBuffer;
import dev.gradlens.nn.TrainableModel;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs training steps on a model: zero gradients, forward and backward over the micro-batches
 * (weighted by their token counts), global-norm clipping, learning-rate schedule and the optimizer
 * update. A step whose loss or gradients are not finite changes no weight and no optimizer state;
 * one whose update overflows (finite gradients, a learning rate too large for the data type) is
 * applied and reported as not finite.
 *
 * <p>After a step the parameters keep the accumulated gradient, unclipped: clipping scales the
 * gradient only as the optimizer reads it. A Trainer is not thread-safe.
 *
 * <p>The model's parameters are packed into one {@link ParameterBuffer} (a {@link
 * dev.gradlens.nn.Transformer} packs its own at construction), so zeroing the gradients and the
 * optimizer update are a few whole-buffer operations.
 */
public final class Trainer {

    private final TrainableModel model;
    private final OptimizerConfig config;
    private final List<Parameter> parameters;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private long stepCount;
    /** The latest computeGradients result not yet applied, or null. */
    private PendingStep pending;

    /**
     * @throws dev.gradlens.nn.InvalidConfigException when the configuration is invalid
     * @throws IllegalArgumentException when two parameters share a name
     */
    public Trainer(TrainableModel model, OptimizerConfig config) {
        this.config = config.validate();
        this.model = model;
        this.parameters = List.copyOf(model.parameters());
        checkUniqueNames(parameters);
        ParameterBuffer.of(parameters); // packs them, unless the model already did (Transformer)
        this.optimizer = Optimizer.create(config, parameters);
        this.schedule = new LearningRateSchedule(config);
    }

    /**
     * One step over one or more micro-batches: {@link #computeGradients} then {@link #apply}.
     * The loss is the token-weighted mean Σ loss_i·n_i / Σ n_i, and the gradient accumulated in
     * the parameters is the gradient of that loss (each backward is scaled by n_i / Σ n_i).
     * Micro-batches without counted targets contribute nothing and are not run.
     *
     * <p>A gradient counts as not finite when its L2 norm is NaN or infinite, which includes a
     * finite float32 gradient whose norm overflows.
     *
     * @param update false to compute loss and gradients only (no weight or state change)
     * @throws IllegalArgumentException when the list is empty or has no counted target at all
     */
    public StepResult step(List<Batch> microBatches, boolean update) {
        return apply(computeGradients(microBatches), update);
    }

    /**
     * First half of {@link #step}: zeroes the gradients, runs forward and backward over the
     * micro-batches and measures the gradients. Changes only the gradients; no weight, optimizer
     * state or step counter.
     *
     * @throws IllegalArgumentException when the list is empty or has no counted target at all
     */
    public PendingStep computeGradients(List<Batch> microBatches) {
        long tokens = countTokens(microBatches);
        pending = null;
        double loss = accumulateGradients(microBatches, tokens);

        double[] gradNorms = gradNorms();
        double globalNorm = GradientClipping.globalNorm(gradNorms);
        double learningRate = learningRateAt(stepCount + 1);
        boolean finite = Double.isFinite(loss) && Double.isFinite(globalNorm);
        pending = new PendingStep(stepCount, loss, globalNorm, learningRate, tokens, finite,
                byName(gradNorms));
        return pending;
    }

    /**
     * Second half of {@link #step}: when the gradients are finite and {@code update} is true,
     * clips them, runs the optimizer and counts the step. A pending step is applied at most once.
     *
     * @param pending what the latest {@link #computeGradients} of this trainer returned
     * @param update false to apply nothing (the result then only reports the gradients)
     * @throws IllegalStateException when {@code pending} was already applied, or is not the
     *     latest computeGradients of this trainer (the gradients it measured are gone)
     */
    public StepResult apply(PendingStep pending, boolean update) {
        if (pending == null || pending != this.pending) {
            throw new IllegalStateException("this pending step was already applied or its "
                    + "gradients were replaced since");
        }
        this.pending = null;
        Update applied = new Update(new double[parameters.size()], true);
        boolean apply = pending.appliesUpdate(update);
        if (apply) {
            double scale = GradientClipping.scale(pending.gradNorm(), config.gradClip());
            applied = applyUpdate(pending.learningRate(), scale);
        }
        return new StepResult(stepCount, pending.loss(), pending.gradNorm(),
                pending.learningRate(), pending.tokens(), apply,
                pending.finite() && applied.finite(), pending.gradNorms(),
                byName(applied.ratios()));
    }

    /** ‖ΔW‖/‖W‖ per parameter, and whether every ΔW was finite. */
    private record Update(double[] ratios, boolean finite) {
    }

    /**
     * Token-weighted mean loss over batches, forward only; gradients are left as they are.
     *
     * @throws IllegalArgumentException when the list is empty or has no counted target at all
     */
    public double evaluate(List<Batch> batches) {
        long tokens = countTokens(batches);
        double weightedLoss = 0;
        for (Batch batch : batches) {
            long n = batch.targetCount();
            if (n > 0) {
                weightedLoss += model.forwardLoss(batch) * n;
            }
        }
        return weightedLoss / tokens;
    }

    /** Steps applied so far. */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Learning rate the schedule gives for the (1-based) step.
     *
     * @throws IllegalArgumentException when step is below 1
     */
    public double learningRateAt(long step) {
        return schedule.rateAt(step);
    }

    public OptimizerConfig config() {
        return config;
    }

    /**
     * Copies of the optimizer state tensors by name (for checkpoints), e.g.
     * "adam.m.lm_head.weight", "adam.v.lm_head.weight" or "sgd.velocity.lm_head.weight".
     */
    public Map<String, INDArray> state() {
        return optimizer.state();
    }

    /**
     * Restores what {@link #state()} returned, and the step counter.
     *
     * @throws IllegalArgumentException when stepCount is negative, or a tensor is missing or
     *     misshapen; then nothing has changed
     */
    public void restore(Map<String, INDArray> state, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("stepCount must not be negative, was " + stepCount);
        }
        optimizer.restore(state);
        this.stepCount = stepCount;
        this.pending = null;
    }

    private double accumulateGradients(List<Batch> microBatches, long totalTokens) {
        model.zeroGrad();
        double weightedLoss = 0;
        for (Batch batch : microBatches) {
            long n = batch.targetCount();
            if (n == 0) {
                continue;
            }
            double loss = model.forwardLoss(batch);
            model.backward((double) n / totalTokens);
            weightedLoss += loss * n;
        }
        return weightedLoss / totalTokens;
    }

    /**
     * Runs the optimizer; returns ‖ΔW‖/‖W‖ per parameter, ‖W‖ taken before the update, and
     * whether every ‖ΔW‖ was finite.
     */
    private Update applyUpdate(double learningRate, double gradScale) {
        double[] before = new double[parameters.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = BlasOps.l2Norm(parameters.get(i).value());
        }

        List<INDArray> deltas = optimizer.step(learningRate, stepCount + 1, gradScale);
        stepCount++;

        double[] ratios = new double[before.length];
        boolean finite = true;
        for (int i = 0; i < ratios.length; i++) {
            double deltaNorm = BlasOps.l2Norm(deltas.get(i));
            finite &= Double.isFinite(deltaNorm);
            ratios[i] = updateRatio(deltaNorm, before[i]);
        }
        return new Update(ratios, finite);
    }

    /** ‖ΔW‖/‖W‖; 0 when both are 0, and +∞ when only ‖W‖ is 0 (a zero bias that moves). */
    static double updateRatio(double deltaNorm, double weightNorm) {
        if (weightNorm == 0) {
            return deltaNorm == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return deltaNorm / weightNorm;
    }

    private double[] gradNorms() {
        double[] norms = new double[parameters.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = BlasOps.l2Norm(parameters.get(i).grad());
        }
        return norms;
    }

    private Map<String, Double> byName(double[] values) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(parameters.get(i).name(), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static long countTokens(List<Batch> batches) {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("need at least one micro-batch");
        }
        long tokens = 0;
        for (Batch batch : batches) {
            if (batch == null) {
                throw new IllegalArgumentException("micro-batch must not be null");
            }
            tokens += batch.targetCount();
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the micro-batches have no counted target token");
        }
        return tokens;
    }

    private static void checkUniqueNames(List<Parameter> parameters) {
        Set<String> seen = new HashSet<>();
        for (Parameter p : parameters) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("two parameters are named " + p.name());
            }
        }
    }
}
