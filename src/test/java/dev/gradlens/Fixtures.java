package dev.gradlens;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Small models and request bodies shared by the integration tests. */
public final class Fixtures {

    public static final String CORPUS = "hello world, hello gradients";

    private Fixtures() {
    }

    /** A tiny float64 model over the char alphabet of {@link #CORPUS}, plus overrides. */
    public static Map<String, Object> tinyCharModel(Object... overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dModel", 8);
        body.put("nHeads", 2);
        body.put("nLayers", 2);
        body.put("maxSeqLen", 16);
        body.put("dataType", "float64");
        body.put("optimizer", Map.of("type", "adamw", "learningRate", 0.01));
        body.put("tokenizer", Map.of("type", "char", "corpus", CORPUS));
        for (int i = 0; i < overrides.length; i += 2) {
            body.put((String) overrides[i], overrides[i + 1]);
        }
        return body;
    }

    /** Creates a model and returns its JSON view. */
    public static JsonNode create(Api api, Map<String, Object> body) {
        return api.post("/api/models", body).ok(201);
    }

    public static String createTiny(Api api) {
        return create(api, tinyCharModel()).path("id").asString();
    }
}
