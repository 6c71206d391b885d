package dev.gradlens.generation.service;

import dev.gradlens.generation.Generator;
import dev.gradlens.generation.NonFiniteLogitsException;
import dev.gradlens.generation.SamplingOptions;
import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelService;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import dev.gradlens.training.TokenIds;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Samples text from a live model, between its training steps. */
@Service
public class GenerationService {

    static final int DEFAULT_NEW_TOKENS = 100;

    private final ModelService models;
    private final GradlensProperties properties;

    GenerationService(ModelService models, GradlensProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    /**
     * Continues the prompt.
     *
     * @throws ApiException 404 for an unknown model, 409 when it is not loaded, 400 naming the
     *     field for a bad value (prompt: empty, no tokenizer, or a character outside the
     *     alphabet), 413 naming prompt past the tokens-per-request limit or maxNewTokens past
     *     the activation limit, 409 naming id when the model's logits are not finite (its
     *     weights have diverged)
     */
    public GenerateView generate(UUID id, GenerateRequest request) {
        LiveModel live = models.requireLive(id);
        SamplingOptions options = optionsOf(request);
        if (live.tokenizer() == null) {
            throw ApiException.invalid("prompt", "model " + id + " has no tokenizer to encode "
                    + "a text prompt");
        }
        int[] prompt = TokenIds.encoded("prompt", request.prompt(), live.tokenizer());
        TokenIds.checkCount("prompt", prompt.length, properties.getLimits());
        int context = (int) Math.min(live.transformer().config().maxSeqLen(),
                (long) prompt.length + options.maxNewTokens());
        TokenIds.checkActivations("maxNewTokens", live.transformer().config(), 1, context,
                properties.getLimits());
        return live.locked(() -> {
            int[] tokens;
            try {
                tokens = new Generator(live.transformer()).generate(prompt, options);
            } catch (NonFiniteLogitsException e) {
                throw ApiException.conflict("id", "the model's logits are not finite ("
                        + e.logit() + " for token " + e.token() + "); its weights have "
                        + "diverged: train a new model, with a lower learning rate");
            }
            return new GenerateView(request.prompt(), live.tokenizer().decode(tokens), tokens,
                    options.maxNewTokens(), options.temperature(), options.topK(),
                    options.seed(), live.trainer().stepCount());
        });
    }

    private SamplingOptions optionsOf(GenerateRequest r) {
        int limit = properties.getLimits().getMaxGeneratedTokens();
        int maxNewTokens = r.maxNewTokens() == null ? DEFAULT_NEW_TOKENS : r.maxNewTokens();
        if (maxNewTokens < 0 || maxNewTokens > limit) {
            throw ApiException.invalid("maxNewTokens", "must be between 0 and " + limit
                    + " (gradlens.limits.max-generated-tokens), was " + maxNewTokens);
        }
        double temperature = r.temperature() == null ? 1.0 : r.temperature();
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw ApiException.invalid("temperature", "must be a finite number >= 0 "
                    + "(0 for greedy), was " + temperature);
        }
        int topK = r.topK() == null ? 0 : r.topK();
        if (topK < 0) {
            throw ApiException.invalid("topK", "must not be negative (0 for no limit), was "
                    + topK);
        }
        return new SamplingOptions(maxNewTokens, temperature, topK,
                r.seed() == null ? 0 : r.seed());
    }
}
