package dev.gradlens.training;

import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/models/{id}/steps}: run a step, page through the history. */
@RestController
@RequestMapping("/api/models/{id}/steps")
class StepController {

    private final TrainingService training;

    StepController(TrainingService training) {
        this.training = training;
    }

    @PostMapping
    StepView step(@PathVariable UUID id, @RequestBody StepRequest request) {
        return training.step(id, request);
    }

    /** Any {@code sort} is ignored: the history is always in step order. */
    @GetMapping
    StepPage history(@PathVariable UUID id, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return training.history(id, TrainingService.pageOf(page, size));
    }
}
