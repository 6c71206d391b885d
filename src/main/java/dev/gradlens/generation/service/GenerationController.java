package dev.gradlens.generation.service;

import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/models/{id}/generate}. */
@RestController
class GenerationController {

    private final GenerationService generation;

    GenerationController(GenerationService generation) {
        this.generation = generation;
    }

    @PostMapping("/api/models/{id}/generate")
    GenerateView generate(@PathVariable UUID id, @RequestBody GenerateRequest request) {
        return generation.generate(id, request);
    }
}
