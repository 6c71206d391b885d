package dev.gradlens.model;

import dev.gradlens.checkpoint.Checkpoint;
import dev.gradlens.checkpoint.CheckpointStore;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import dev.gradlens.text.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Creates, lists and deletes models: the row in the database and the live engine objects in the
 * {@link ModelRegistry}.
 */
@Service
public class ModelService {

    private static final Logger log = LoggerFactory.getLogger(ModelService.class);

    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final GradlensProperties properties;
    private final CheckpointStore checkpoints;

    ModelService(ModelRepository repository, ModelRegistry registry,
            GradlensProperties properties, CheckpointStore checkpoints) {
        this.repository = repository;
        this.registry = registry;
        this.properties = properties;
        this.checkpoints = checkpoints;
    }

    /**
     * Validates the request, builds the model and its optimizer, saves its step-0 checkpoint
     * (so every model can be restored after a restart), stores the row and makes the model live.
     *
     * @throws ApiException 400 for an invalid field, 422 past the parameter or alphabet limit,
     *     409 when the registry is full
     * @throws dev.gradlens.nn.InvalidConfigException when the engine refuses the configuration
     * @throws UncheckedIOException when the first checkpoint cannot be written
     */
    public ModelView create(CreateModelRequest request) {
        ModelSpec spec = ModelSpecs.resolve(request, properties.getLimits());
        registry.reserve();
        try {
            UUID id = UUID.randomUUID();
            Transformer transformer = new Transformer(spec.config());
            Trainer trainer = new Trainer(transformer, spec.optimizer());
            ModelSpec built = new ModelSpec(spec.name(), spec.config(), spec.optimizer(),
                    spec.tokenizer(), transformer.parameterCount());
            Tokenizer tokenizer = spec.tokenizer().build();
            if (tokenizer != null) {
                saveCheckpoint(id, Checkpoint.capture(transformer, trainer, tokenizer));
            }
            ModelEntity row = repository.save(new ModelEntity(id, built, Instant.now()));

            LiveModel live = new LiveModel(id, transformer, trainer, tokenizer);
            registry.publish(live);
            log.info("Model {} created: {} parameters, {}, {}, tokenizer {}", id,
                    built.parameterCount(), spec.config(), spec.optimizer(),
                    spec.tokenizer().type());
            return ModelView.of(row, parametersOf(live), 0);
        } catch (RuntimeException e) {
            registry.release();
            throw e;
        }
    }

    /**
     * Every stored model, oldest first, with whether its weights are in memory and how many steps
     * it has recorded (counted for all models in one query).
     */
    public List<ModelView> list() {
        List<ModelEntity> rows = repository.findAllByOrderByCreatedAtAscIdAsc();
        Map<UUID, Long> steps = new HashMap<>();
        for (ModelRepository.StepCount count : repository.countStepsByModel()) {
            steps.put(count.getModelId(), count.getSteps());
        }
        return rows.stream()
                .map(row -> ModelView.of(row, registry.find(row.getId())
                        .map(ModelService::parametersOf).orElse(null),
                        steps.getOrDefault(row.getId(), 0L)))
                .toList();
    }

    /**
     * The model with this id.
     *
     * @throws ApiException 404 when there is none
     */
    public ModelView get(UUID id) {
        ModelEntity row = repository.findById(id).orElseThrow(() -> unknownModel(id));
        return ModelView.of(row, registry.find(id).map(ModelService::parametersOf).orElse(null),
                repository.countSteps(id));
    }

    /**
     * Removes the live model (waiting for a step in progress) and its rows: model, runs, steps.
     *
     * @throws ApiException 404 when there is no such model
     */
    public void delete(UUID id) {
        LiveModel live = registry.find(id).orElse(null);
        if (live == null) {
            // not loaded, so no lock to take: the delete statement itself decides who wins
            if (repository.deleteRow(id) == 0) {
                throw unknownModel(id);
            }
            deleteCheckpoints(id);
            log.info("Model {} deleted", id);
            return;
        }
        live.locked(() -> {
            repository.deleteById(id);
            live.markRemoved();
            registry.remove(id);
            return null;
        });
        deleteCheckpoints(id);
        log.info("Model {} deleted", id);
    }

    /**
     * Makes a stored model live again from a checkpoint (at startup).
     *
     * @param lastStepNumber the number of its latest recorded step
     * @throws ApiException 409 when the registry is full
     */
    public void restore(ModelEntity row, Checkpoint.Restored restored, long lastStepNumber) {
        registry.reserve();
        LiveModel live = new LiveModel(row.getId(), restored.model(), restored.trainer(),
                restored.tokenizer());
        live.stepRecorded(lastStepNumber, Map.of());
        registry.publish(live);
    }

    /**
     * Writes a checkpoint of a model.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public Path saveCheckpoint(UUID id, Checkpoint checkpoint) {
        try {
            return checkpoints.save(id.toString(), checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint of model " + id, e);
        }
    }

    private void deleteCheckpoints(UUID id) {
        try {
            checkpoints.delete(id.toString());
        } catch (IOException e) {
            log.warn("Model {} deleted but its checkpoints could not be: {}", id, e.toString());
        }
    }

    /**
     * The live model for a request that needs its weights.
     *
     * @throws ApiException 404 when the model does not exist, 409 when it exists but its weights
     *     are not in memory (after a restart)
     */
    public LiveModel requireLive(UUID id) {
        return registry.find(id).orElseThrow(() -> repository.existsById(id)
                ? ApiException.conflict("id", "model " + id + " is stored but not loaded: it "
                        + "has no readable checkpoint to restore its weights from")
                : unknownModel(id));
    }

    static ApiException unknownModel(UUID id) {
        return ApiException.notFound("id", "no model with id " + id);
    }

    private static List<ModelView.ParameterInfo> parametersOf(LiveModel live) {
        return live.transformer().parameters().stream()
                .map(p -> new ModelView.ParameterInfo(p.name(), p.shape(), p.length()))
                .toList();
    }

    /** Parameter lookup for inspection. */
    public static Parameter parameterOf(LiveModel live, String name) {
        Parameter parameter = live.transformer().parameter(name);
        if (parameter == null) {
            throw ApiException.notFound("name", "model " + live.id()
                    + " has no parameter named '" + name + "'");
        }
        return parameter;
    }
}
