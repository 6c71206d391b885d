package dev.gradlens.model;

import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A model's row: its configuration (engine, optimizer, tokenizer with the char alphabet), when it
 * was created and how many parameters it has. The weights are not stored here.
 */
@Entity
@Table(name = "models")
public class ModelEntity {

    @Id
    private UUID id;

    private String name;
    private Instant createdAt;
    private long parameterCount;

    private int vocabSize;
    private int dModel;
    private int nHeads;
    private int nLayers;
    @Column(name = "d_ff")
    private int dFF;
    private int maxSeqLen;
    private boolean causal;
    private String normPlacement;
    private String activation;
    private long seed;
    private String dataType;

    private String optimizerType;
    private double learningRate;
    private double momentum;
    private double beta1;
    private double beta2;
    private double epsilon;
    private double weightDecay;
    private double gradClip;
    @Column(name = "lr_schedule")
    private String schedule;
    private int warmupSteps;
    private int decaySteps;
    private double minLearningRate;

    private String tokenizerType;
    private String tokenizerAlphabet;

    protected ModelEntity() {
    }

    /** The row of a new model. */
    public ModelEntity(UUID id, ModelSpec spec, Instant createdAt) {
        this.id = id;
        this.name = spec.name() != null ? spec.name() : "model-" + id.toString().substring(0, 8);
        this.createdAt = createdAt;
        this.parameterCount = spec.parameterCount();
        setConfig(spec.config());
        setOptimizer(spec.optimizer());
        this.tokenizerType = spec.tokenizer().type();
        this.tokenizerAlphabet = spec.tokenizer().alphabet();
    }

    private void setConfig(TransformerConfig config) {
        vocabSize = config.vocabSize();
        dModel = config.dModel();
        nHeads = config.nHeads();
        nLayers = config.nLayers();
        dFF = config.dFF();
        maxSeqLen = config.maxSeqLen();
        causal = config.causal();
        normPlacement = config.norm().name().toLowerCase(Locale.ROOT);
        activation = config.activation().name().toLowerCase(Locale.ROOT);
        seed = config.seed();
        dataType = config.dataType() == DataType.DOUBLE ? "float64" : "float32";
    }

    private void setOptimizer(OptimizerConfig optimizer) {
        optimizerType = optimizer.type().name().toLowerCase(Locale.ROOT);
        learningRate = optimizer.learningRate();
        momentum = optimizer.momentum();
        beta1 = optimizer.beta1();
        beta2 = optimizer.beta2();
        epsilon = optimizer.epsilon();
        weightDecay = optimizer.weightDecay();
        gradClip = optimizer.gradClip();
        schedule = optimizer.schedule().name().toLowerCase(Locale.ROOT);
        warmupSteps = optimizer.warmupSteps();
        decaySteps = optimizer.decaySteps();
        minLearningRate = optimizer.minLearningRate();
    }

    /** The engine configuration this row describes. */
    public TransformerConfig config() {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, causal,
                TransformerConfig.NormPlacement.valueOf(normPlacement.toUpperCase(Locale.ROOT)),
                TransformerConfig.Activation.valueOf(activation.toUpperCase(Locale.ROOT)),
                seed, "float64".equals(dataType) ? DataType.DOUBLE : DataType.FLOAT);
    }

    /** The optimizer configuration this row describes. */
    public OptimizerConfig optimizer() {
        return new OptimizerConfig(
                OptimizerConfig.Type.valueOf(optimizerType.toUpperCase(Locale.ROOT)),
                learningRate, momentum, beta1, beta2, epsilon, weightDecay, gradClip,
                OptimizerConfig.Schedule.valueOf(schedule.toUpperCase(Locale.ROOT)),
                warmupSteps, decaySteps, minLearningRate);
    }

    public TokenizerSpec tokenizer() {
        return new TokenizerSpec(tokenizerType, tokenizerAlphabet);
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getParameterCount() {
        return parameterCount;
    }

    public String getNormPlacement() {
        return normPlacement;
    }

    public String getActivation() {
        return activation;
    }

    public String getDataType() {
        return dataType;
    }

    public String getOptimizerType() {
        return optimizerType;
    }

    public String getSchedule() {
        return schedule;
    }
}
