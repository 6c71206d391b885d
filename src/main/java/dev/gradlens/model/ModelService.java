package dev.gradlens.model;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import java.time.Instant;
import java.util.List;
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

    ModelService(ModelRepository repository, ModelRegistry registry,
            GradlensProperties properties) {
        this.repository = repository;
        this.registry = registry;
        this.properties = properties;
    }

    /**
     * Validates the request, builds the model and its optimizer, stores the row and makes the
     * model live.
     *
     * @throws ApiException 400 for an invalid field, 422 past the parameter or alphabet limit,
     *     409 when the registry is full
     * @throws dev.gradlens.nn.InvalidConfigException when the engine refuses the configuration
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
            ModelEntity row = repository.save(new ModelEntity(id, built, Instant.now()));

            LiveModel live = new LiveModel(id, transformer, trainer, spec.tokenizer().build());
            registry.publish(live);
            log.info("Model {} created: {} parameters, {}, {}, tokenizer {}", id,
                    built.parameterCount(), spec.config(), spec.optimizer(),
                    spec.tokenizer().type());
            return ModelView.of(row, parametersOf(live));
        } catch (RuntimeException e) {
            registry.release();
            throw e;
        }
    }

    /** Every stored model, oldest first, with whether its weights are in memory. */
    public List<ModelView> list() {
        return repository.findAllByOrderByCreatedAtAscIdAsc().stream()
                .map(row -> ModelView.of(row, registry.find(row.getId())
                        .map(ModelService::parametersOf).orElse(null)))
                .toList();
    }

    /**
     * The model with this id.
     *
     * @throws ApiException 404 when there is none
     */
    public ModelView get(UUID id) {
        ModelEntity row = repository.findById(id).orElseThrow(() -> unknownModel(id));
        return ModelView.of(row, registry.find(id).map(ModelService::parametersOf).orElse(null));
    }

    /**
     * Removes the live model (waiting for a step in progress) and its rows: model, runs, steps.
     *
     * @throws ApiException 404 when there is no such model
     */
    public void delete(UUID id) {
        LiveModel live = registry.find(id).orElse(null);
        if (live == null) {
            if (!repository.existsById(id)) {
                throw unknownModel(id);
            }
            repository.deleteById(id);
            return;
        }
        live.locked(() -> {
            repository.deleteById(id);
            live.markRemoved();
            registry.remove(id);
            return null;
        });
        log.info("Model {} deleted", id);
    }

    /**
     * The live model for a request that needs its weights.
     *
     * @throws ApiException 404 when the model does not exist, 409 when it exists but its weights
     *     are not in memory (after a restart)
     */
    public LiveModel requireLive(UUID id) {
        return registry.find(id).orElseThrow(() -> repository.existsById(id)
                ? ApiException.conflict("id", "model " + id + " is stored but not loaded: its "
                        + "weights were lost when the service restarted")
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
