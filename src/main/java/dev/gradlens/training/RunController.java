package dev.gradlens.training;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Background runs: {@code POST /api/models/{id}/runs} starts one, {@code /api/runs/{id}} shows,
 * cancels, streams and reads back its history.
 */
@RestController
class RunController {

    private final RunService runs;
    private final RunHistory history;

    RunController(RunService runs, RunHistory history) {
        this.runs = runs;
        this.history = history;
    }

    @PostMapping("/api/models/{id}/runs")
    ResponseEntity<RunView> start(@PathVariable UUID id, @RequestBody RunRequest request) {
        RunView run = runs.start(id, request);
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/runs/{id}").buildAndExpand(run.id()).toUri();
        return ResponseEntity.accepted().location(location).body(run);
    }

    @GetMapping("/api/models/{id}/runs")
    List<RunView> ofModel(@PathVariable UUID id) {
        return history.runIdsOf(id).stream().map(runs::view).toList();
    }

    @GetMapping("/api/runs/{id}")
    RunView get(@PathVariable Long id) {
        return runs.view(id);
    }

    @PostMapping("/api/runs/{id}/cancel")
    ResponseEntity<RunView> cancel(@PathVariable Long id) {
        return ResponseEntity.accepted().body(runs.cancel(id));
    }

    @GetMapping(path = "/api/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable Long id, @RequestParam(required = false) Integer every) {
        return runs.events(id, every);
    }

    /** Paged as {@code /api/models/{id}/steps}; any {@code sort} is ignored. */
    @GetMapping("/api/runs/{id}/steps")
    StepPage steps(@PathVariable Long id, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return history.steps(id, TrainingService.pageOf(page, size));
    }

    @GetMapping("/api/runs/{id}/evaluations")
    List<EvaluationView> evaluations(@PathVariable Long id) {
        return history.evaluations(id);
    }

    @GetMapping("/api/runs/{id}/gradient-norms")
    RunHistory.GradientNorms gradientNorms(@PathVariable Long id,
            @RequestParam(required = false) Long fromStep,
            @RequestParam(required = false) Long toStep) {
        return history.gradientNorms(id, fromStep, toStep);
    }
}
