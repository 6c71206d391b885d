package dev.gradlens.checkpoint;

import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@link Checkpoint} into a safetensors file and back.
 *
 * <p>The weights are stored under their public parameter names and the optimizer state under
 * {@code Trainer.state()}'s names, weights first. The {@code __metadata__} strings are:
 * {@value #FORMAT} = {@value #FORMAT_NAME}, {@value #VERSION} = {@value #CURRENT_VERSION},
 * {@value #STEP}, {@value #MODEL_CONFIG} and {@value #OPTIMIZER_CONFIG} (the records as JSON),
 * {@value #TOKENIZER_KIND}, {@value #TOKENIZER_ALPHABET} (char tokenizers only),
 * {@value #OPTIMIZER_TENSORS} (a JSON array naming the optimizer state tensors; every other tensor
 * is a weight), {@value #DATA_SHA256} (hex SHA-256 of the data section) and {@value #CREATED_AT}
 * (ISO-8601 instant).
 */
final class CheckpointCodec {

    static final String FORMAT = "format";
    static final String FORMAT_NAME = "gradlens.checkpoint";
    static final String VERSION = "format_version";
    static final String CURRENT_VERSION = "1";
    static final String STEP = "step";
    static final String MODEL_CONFIG = "transformer_config";
    static final String OPTIMIZER_CONFIG = "optimizer_config";
    static final String TOKENIZER_KIND = "tokenizer_kind";
    static final String TOKENIZER_ALPHABET = "tokenizer_alphabet";
    static final String OPTIMIZER_TENSORS = "optimizer_tensors";
    static final String DATA_SHA256 = "data_sha256";
    static final String CREATED_AT = "created_at";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A writer holding the checkpoint's tensors, and the metadata to write with them. */
    record Encoded(SafetensorsWriter writer, Map<String, String> metadata) {
    }

    private CheckpointCodec() {
    }

    static Encoded encode(Checkpoint checkpoint, Instant createdAt) {
        SafetensorsWriter writer = new SafetensorsWriter()
                .addAll(checkpoint.weights())
                .addAll(checkpoint.optimizerState());

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT, FORMAT_NAME);
        metadata.put(VERSION, CURRENT_VERSION);
        metadata.put(STEP, Long.toString(checkpoint.step()));
        metadata.put(MODEL_CONFIG, JSON.writeValueAsString(checkpoint.config()));
        metadata.put(OPTIMIZER_CONFIG, JSON.writeValueAsString(checkpoint.optimizerConfig()));
        metadata.put(TOKENIZER_KIND, checkpoint.tokenizer().kind());
        if (checkpoint.tokenizer().alphabet() != null) {
            metadata.put(TOKENIZER_ALPHABET, checkpoint.tokenizer().alphabet());
        }
        metadata.put(OPTIMIZER_TENSORS,
                JSON.writeValueAsString(List.copyOf(checkpoint.optimizerState().keySet())));
        metadata.put(DATA_SHA256, writer.dataSha256());
        metadata.put(CREATED_AT, createdAt.toString());
        return new Encoded(writer, metadata);
    }

    /**
     * The checkpoint in a checked safetensors file.
     *
     * @throws CorruptCheckpointException when the metadata is missing, unparsable or invalid, or
     *     the data section's SHA-256 differs from the recorded one
     */
    static StoredCheckpoint decode(SafetensorsFile file, Path path)
            throws CorruptCheckpointException {
        Map<String, String> meta = file.metadata();
        String source = file.source();
        if (!FORMAT_NAME.equals(meta.get(FORMAT))) {
            throw new CorruptCheckpointException(source, "not a gradlens checkpoint (metadata "
                    + FORMAT + " is " + meta.get(FORMAT) + ")");
        }
        if (!CURRENT_VERSION.equals(meta.get(VERSION))) {
            throw new CorruptCheckpointException(source, "unsupported checkpoint format version "
                    + meta.get(VERSION) + " (this build reads " + CURRENT_VERSION + ")");
        }
        String recorded = required(meta, DATA_SHA256, source);
        String actual = file.dataSha256();
        if (!recorded.equals(actual)) {
            throw new CorruptCheckpointException(source, "data checksum mismatch: the header "
                    + "records SHA-256 " + recorded + " but the data hashes to " + actual);
        }

        try {
            return new StoredCheckpoint(checkpoint(file, meta, source), path,
                    Instant.parse(required(meta, CREATED_AT, source)), actual);
        } catch (JacksonException e) {
            throw new CorruptCheckpointException(source, "unreadable metadata JSON: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptCheckpointException(source, "invalid metadata: " + e.getMessage());
        }
    }

    private static Checkpoint checkpoint(SafetensorsFile file, Map<String, String> meta,
            String source) throws CorruptCheckpointException {
        TransformerConfig config = JSON.readValue(required(meta, MODEL_CONFIG, source),
                TransformerConfig.class).validate();
        OptimizerConfig optimizer = JSON.readValue(required(meta, OPTIMIZER_CONFIG, source),
                OptimizerConfig.class).validate();
        TokenizerSpec tokenizer = new TokenizerSpec(required(meta, TOKENIZER_KIND, source),
                meta.get(TOKENIZER_ALPHABET));
        long step = Long.parseLong(required(meta, STEP, source));
        Set<String> stateNames = new HashSet<>(JSON.readValue(
                required(meta, OPTIMIZER_TENSORS, source), new TypeReference<List<String>>() { }));

        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (String name : file.tensorInfos().keySet()) {
            (stateNames.contains(name) ? state : weights).put(name, file.tensor(name));
        }
        List<String> missing = new ArrayList<>(stateNames);
        missing.removeAll(state.keySet());
        if (!missing.isEmpty()) {
            throw new CorruptCheckpointException(source, "optimizer tensors " + missing
                    + " are listed in the metadata but absent");
        }
        return new Checkpoint(config, optimizer, tokenizer, step, weights, state);
    }

    private static String required(Map<String, String> meta, String key, String source)
            throws CorruptCheckpointException {
        String value = meta.get(key);
        if (value == null) {
            throw new CorruptCheckpointException(source, "metadata " + key + " is missing");
        }
        return value;
    }
}
