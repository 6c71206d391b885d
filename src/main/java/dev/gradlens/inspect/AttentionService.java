package dev.gradlens.inspect;

import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelService;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import dev.gradlens.training.TokenIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.springframework.stereotype.Service;

/** Runs a forward pass on one input and returns its attention maps. */
@Service
public class AttentionService {

    private final ModelService models;
    private final GradlensProperties properties;

    AttentionService(ModelService models, GradlensProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    /**
     * Attention probabilities for {@code request}, for one layer and head or all of them.
     *
     * @throws ApiException 400 for an invalid input, layer or head, 413 past the token limit,
     *     404 for an unknown model, 409 when it is not loaded
     */
    public AttentionView attention(UUID modelId, AttentionRequest request, Integer layer,
            Integer head) {
        LiveModel live = models.requireLive(modelId);
        TransformerConfig config = live.transformer().config();
        int[] ids = inputOf(request, live, config);
        List<Integer> layers = selected("layer", layer, config.nLayers());
        List<Integer> heads = selected("head", head, config.nHeads());
        checkAnswerSize(request.tokens() != null ? "tokens" : "text",
                (long) layers.size() * heads.size() * ids.length * ids.length);

        List<AttentionView.Layer> maps = live.locked(() -> {
            live.transformer().logits(List.of(ids));
            List<AttentionView.Layer> out = new ArrayList<>();
            for (int l : layers) {
                out.add(new AttentionView.Layer(l, headsOf(live.transformer().attention(l),
                        heads, ids.length)));
            }
            return out;
        });
        return new AttentionView(Arrays.stream(ids).boxed().toList(), labelsOf(live, ids), maps);
    }

    private int[] inputOf(AttentionRequest request, LiveModel live, TransformerConfig config) {
        if ((request.tokens() == null) == (request.text() == null)) {
            throw ApiException.invalid(request.tokens() == null ? "tokens" : "text",
                    "give either tokens or text, exactly one of them");
        }
        int[] ids;
        if (request.tokens() != null) {
            TokenIds.checkCount("tokens", request.tokens().size(), properties.getLimits());
            ids = TokenIds.checked("tokens", request.tokens(), 0, config.vocabSize());
        } else if (live.tokenizer() == null) {
            throw ApiException.invalid("text",
                    "this model has no tokenizer: send token ids in tokens");
        } else {
            ids = TokenIds.encoded("text", request.text(), live.tokenizer());
            TokenIds.checkCount("text", ids.length, properties.getLimits());
        }
        String field = request.tokens() != null ? "tokens" : "text";
        if (ids.length > config.maxSeqLen()) {
            throw ApiException.invalid(field, "has " + ids.length + " tokens; maxSeqLen is "
                    + config.maxSeqLen());
        }
        TokenIds.checkActivations(field, config, 1, ids.length, properties.getLimits());
        return ids;
    }

    /** @throws ApiException 413 when the maps asked for hold more than max-attention-values */
    private void checkAnswerSize(String field, long values) {
        long limit = properties.getLimits().getMaxAttentionValues();
        if (values > limit) {
            throw ApiException.tooLarge(field, "the attention maps asked for hold " + values
                    + " values, more than " + limit + " (gradlens.limits.max-attention-values);"
                    + " pick one layer or head, or send a shorter input");
        }
    }

    private static List<Integer> selected(String field, Integer index, int count) {
        if (index == null) {
            return IntStream.range(0, count).boxed().toList();
        }
        if (index < 0 || index >= count) {
            throw ApiException.invalid(field, "must be between 0 and " + (count - 1)
                    + ", was " + index);
        }
        return List.of(index);
    }

    /** Copies the heads of {@code probabilities} [1, H, T, T]. */
    private static List<AttentionView.Head> headsOf(INDArray probabilities, List<Integer> heads,
            int length) {
        List<AttentionView.Head> out = new ArrayList<>();
        for (int h : heads) {
            INDArray map = probabilities.get(NDArrayIndex.point(0), NDArrayIndex.point(h),
                    NDArrayIndex.interval(0, length), NDArrayIndex.interval(0, length));
            TensorCopy copy = TensorCopy.of("head", map.castTo(DataType.DOUBLE));
            out.add(new AttentionView.Head(h, new NestedArray(copy.shape(), copy.values())));
        }
        return out;
    }

    private static List<String> labelsOf(LiveModel live, int[] ids) {
        return Arrays.stream(ids)
                .mapToObj(id -> live.tokenizer() == null ? Integer.toString(id)
                        : live.tokenizer().tokenLabel(id))
                .toList();
    }
}
