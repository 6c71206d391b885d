package dev.gradlens.model;

import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The live models, by id, at most {@code gradlens.limits.max-models} at once. A slot is reserved
 * before the (possibly slow) engine objects are built, so concurrent creations cannot pass the
 * limit.
 */
@Component
public class ModelRegistry {

    private final GradlensProperties properties;
    private final Map<UUID, LiveModel> models = new ConcurrentHashMap<>();
    private int reserved;

    ModelRegistry(GradlensProperties properties) {
        this.properties = properties;
    }

    /**
     * Takes one of the slots for a model about to be built.
     *
     * @throws ApiException 409 when the registry is full
     */
    synchronized void reserve() {
        int limit = properties.getLimits().getMaxModels();
        if (models.size() + reserved >= limit) {
            throw ApiException.conflict("models", "the service holds " + models.size()
                    + " models in memory, the limit (gradlens.limits.max-models) is " + limit
                    + "; delete a model first");
        }
        reserved++;
    }

    synchronized void release() {
        reserved--;
    }

    /** Turns a reserved slot into a live model. */
    synchronized void publish(LiveModel model) {
        reserved--;
        models.put(model.id(), model);
    }

    void remove(UUID id) {
        models.remove(id);
    }

    public Optional<LiveModel> find(UUID id) {
        return Optional.ofNullable(models.get(id));
    }

    public boolean isLoaded(UUID id) {
        return models.containsKey(id);
    }

    public int size() {
        return models.size();
    }
}
