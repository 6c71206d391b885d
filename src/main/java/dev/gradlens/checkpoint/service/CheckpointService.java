package dev.gradlens.checkpoint.service;

import dev.gradlens.checkpoint.Checkpoint;
import dev.gradlens.checkpoint.CheckpointInfo;
import dev.gradlens.checkpoint.CheckpointStore;
import dev.gradlens.checkpoint.SafetensorsWriter;
import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelRepository;
import dev.gradlens.model.ModelService;
import dev.gradlens.system.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Checkpoints of live models on demand, the list of a model's checkpoint files, and the export of
 * weights as safetensors.
 */
@Service
public class CheckpointService {

    private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);

    private final ModelService models;
    private final ModelRepository modelRows;
    private final CheckpointStore store;

    CheckpointService(ModelService models, ModelRepository modelRows, CheckpointStore store) {
        this.models = models;
        this.modelRows = modelRows;
        this.store = store;
    }

    /**
     * Saves a checkpoint of the model as it is now (between steps).
     *
     * @throws ApiException 404 for an unknown model, 409 when it is not loaded or has no
     *     tokenizer (a checkpoint holds one)
     * @throws UncheckedIOException when the file cannot be written
     */
    public CheckpointView save(UUID id) {
        LiveModel live = models.requireLive(id);
        if (live.tokenizer() == null) {
            throw ApiException.conflict("id", "model " + id + " has no tokenizer, and a "
                    + "checkpoint must hold one: models of token ids only are not checkpointed");
        }
        Checkpoint checkpoint = live.locked(() -> capture(live));
        Path file = models.saveCheckpoint(id, checkpoint);
        log.info("Model {}: checkpoint of step {} written to {}", id, checkpoint.step(), file);
        return viewOf(checkpoint.step(), file);
    }

    /** A copy of the live model's state; call under its lock. */
    public static Checkpoint capture(LiveModel live) {
        return Checkpoint.capture(live.transformer(), live.trainer(), live.tokenizer());
    }

    /**
     * The model's checkpoint files, newest first.
     *
     * @throws ApiException 404 for an unknown model
     */
    public List<CheckpointView> list(UUID id) {
        if (!modelRows.existsById(id)) {
            throw ApiException.notFound("id", "no model with id " + id);
        }
        try {
            return store.list(id.toString()).stream().map(CheckpointService::viewOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The live weights as a safetensors file under the public parameter names.
     *
     * @throws ApiException 400 naming format for a format other than safetensors, 404 for an
     *     unknown model, 409 when it is not loaded
     */
    public byte[] export(UUID id, String format) {
        if (!"safetensors".equals(format)) {
            throw ApiException.invalid("format", "must be \"safetensors\", was \"" + format + "\"");
        }
        LiveModel live = models.requireLive(id);
        SafetensorsWriter writer = live.locked(() -> new SafetensorsWriter()
                .addAll(Checkpoint.copyWeights(live.transformer())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.writeTo(out, Map.of("format", "pt", "gradlens_model", id.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static CheckpointView viewOf(long step, Path file) {
        try {
            return viewOf(new CheckpointInfo(step, file, Files.size(file),
                    Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CheckpointView viewOf(CheckpointInfo info) {
        return new CheckpointView(info.step(), info.file().toString(), info.sizeBytes(),
                info.modifiedAt());
    }
}
