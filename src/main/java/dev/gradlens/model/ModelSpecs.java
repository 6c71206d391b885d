package dev.gradlens.model;

import dev.gradlens.model.CreateModelRequest.OptimizerRequest;
import dev.gradlens.model.CreateModelRequest.TokenizerRequest;
import dev.gradlens.nn.InvalidConfigException;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.TransformerConfig.Activation;
import dev.gradlens.nn.TransformerConfig.NormPlacement;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties.Limits;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Turns a {@link CreateModelRequest} into a {@link ModelSpec}: fills defaults, checks every field
 * (naming it in the error, with nested paths such as {@code optimizer.beta1}) and the limits.
 * Nothing is allocated here.
 */
final class ModelSpecs {

    static final int DEFAULT_D_MODEL = 64;
    static final int DEFAULT_HEADS = 4;
    static final int DEFAULT_LAYERS = 2;
    static final int DEFAULT_MAX_SEQ_LEN = 128;
    static final long DEFAULT_SEED = 42;

    private static final Map<String, NormPlacement> NORMS =
            Map.of("pre", NormPlacement.PRE, "post", NormPlacement.POST);
    private static final Map<String, Activation> ACTIVATIONS =
            Map.of("gelu", Activation.GELU, "relu", Activation.RELU);
    private static final Map<String, DataType> DATA_TYPES =
            Map.of("float32", DataType.FLOAT, "float64", DataType.DOUBLE);

    private ModelSpecs() {
    }

    static ModelSpec resolve(CreateModelRequest request, Limits limits) {
        String name = request.name() == null ? null : request.name().strip();
        if (name != null && (name.isEmpty() || name.length() > 200)) {
            throw ApiException.invalid("name", "must have 1 to 200 characters");
        }
        if (name != null && !storable(name, true)) {
            throw ApiException.invalid("name",
                    "must not contain control characters or unpaired surrogates");
        }
        TokenizerSpec tokenizer = tokenizerOf(request.tokenizer(), limits);
        TransformerConfig config = configOf(request, tokenizer);
        OptimizerConfig optimizer = OptimizerSpecs.resolve(request.optimizer());

        long parameterCount = ModelSpec.parameterCountOf(config);
        if (parameterCount > limits.getMaxParametersPerModel()) {
            throw ApiException.unprocessable("parameterCount", "the model would have "
                    + parameterCount + " parameters; the limit is "
                    + limits.getMaxParametersPerModel()
                    + " (gradlens.limits.max-parameters-per-model)");
        }
        return new ModelSpec(name, config, optimizer, tokenizer, parameterCount);
    }

    private static TransformerConfig configOf(CreateModelRequest r, TokenizerSpec tokenizer) {
        int vocabSize = vocabSizeOf(r.vocabSize(), tokenizer);
        int dModel = bounded("dModel", r.dModel(), DEFAULT_D_MODEL, 1, 8192);
        int nHeads = bounded("nHeads", r.nHeads(), DEFAULT_HEADS, 1, 1024);
        int nLayers = bounded("nLayers", r.nLayers(), DEFAULT_LAYERS, 1, 256);
        int dFF = bounded("dFF", r.dFF(), 4 * dModel, 1, 65_536);
        int maxSeqLen = bounded("maxSeqLen", r.maxSeqLen(), DEFAULT_MAX_SEQ_LEN, 1, 16_384);
        TransformerConfig config = new TransformerConfig(vocabSize, dModel, nHeads, nLayers,
                dFF, maxSeqLen, r.causal() == null || r.causal(),
                choice("norm", r.norm(), NORMS, NormPlacement.PRE),
                choice("activation", r.activation(), ACTIVATIONS, Activation.GELU),
                r.seed() == null ? DEFAULT_SEED : r.seed(),
                choice("dataType", r.dataType(), DATA_TYPES, DataType.FLOAT));
        return config.validate();
    }

    private static int vocabSizeOf(Integer requested, TokenizerSpec tokenizer) {
        Integer derived = tokenizer.vocabSize();
        if (derived == null) {
            if (requested == null) {
                throw ApiException.invalid("vocabSize", "is required when no tokenizer is given");
            }
            return bounded("vocabSize", requested, 0, 1, 1_000_000);
        }
        if (requested != null && !requested.equals(derived)) {
            throw ApiException.invalid("vocabSize", "must be " + derived
                    + " (the size of the " + tokenizer.type() + " tokenizer) or left out");
        }
        return derived;
    }

    private static TokenizerSpec tokenizerOf(TokenizerRequest request, Limits limits) {
        if (request == null) {
            return TokenizerSpec.none();
        }
        String type = request.type() == null ? "" : request.type().toLowerCase(Locale.ROOT);
        switch (type) {
            case TokenizerSpec.BYTE -> {
                if (request.corpus() != null) {
                    throw ApiException.invalid("tokenizer.corpus",
                            "is only for the char tokenizer");
                }
                return TokenizerSpec.bytes();
            }
            case TokenizerSpec.CHAR -> {
                return charTokenizerOf(request.corpus(), limits);
            }
            default -> throw ApiException.invalid("tokenizer.type", "must be \"char\" or \"byte\"");
        }
    }

    private static TokenizerSpec charTokenizerOf(String corpus, Limits limits) {
        if (corpus == null || corpus.isEmpty()) {
            throw ApiException.invalid("tokenizer.corpus",
                    "is required for the char tokenizer and must not be empty");
        }
        if (!storable(corpus, false)) {
            throw ApiException.invalid("tokenizer.corpus",
                    "must not contain U+0000 or unpaired surrogates");
        }
        TokenizerSpec spec = TokenizerSpec.charsOf(corpus);
        if (spec.vocabSize() > limits.getMaxAlphabetSize()) {
            throw ApiException.unprocessable("tokenizer.corpus", "has " + spec.vocabSize()
                    + " distinct characters; the limit is " + limits.getMaxAlphabetSize()
                    + " (gradlens.limits.max-alphabet-size)");
        }
        return spec;
    }

    /**
     * Whether every database can store {@code text} as it is: no U+0000 (PostgreSQL refuses it),
     * no unpaired surrogate (UTF-8 cannot encode it), and with {@code noControls} no other
     * control character either.
     */
    static boolean storable(String text, boolean noControls) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || noControls && Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static int bounded(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max
                    + ", was " + v);
        }
        return v;
    }

    static <T> T choice(String field, String value, Map<String, T> options, T fallback) {
        if (value == null) {
            return fallback;
        }
        T chosen = options.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw ApiException.invalid(field, "must be one of " + options.keySet().stream()
                    .sorted().map(o -> "\"" + o + "\"").toList() + ", was \"" + value + "\"");
        }
        return chosen;
    }

    /** The engine's own check, with the field renamed under {@code prefix}. */
    static InvalidConfigException prefixed(String prefix, InvalidConfigException error) {
        String reason = error.getMessage().substring(error.field().length() + 2);
        return new InvalidConfigException(prefix + error.field(), reason);
    }
}
