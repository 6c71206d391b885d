package dev.gradlens.checkpoint.service;

import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/models/{id}/checkpoints} and {@code /api/models/{id}/export}. */
@RestController
@RequestMapping("/api/models/{id}")
class CheckpointController {

    private final CheckpointService checkpoints;

    CheckpointController(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @PostMapping("/checkpoints")
    ResponseEntity<CheckpointView> save(@PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.CREATED).body(checkpoints.save(id));
    }

    @GetMapping("/checkpoints")
    List<CheckpointView> list(@PathVariable UUID id) {
        return checkpoints.list(id);
    }

    @GetMapping("/export")
    ResponseEntity<byte[]> export(@PathVariable UUID id,
            @RequestParam(defaultValue = "safetensors") String format) {
        byte[] file = checkpoints.export(id, format);
        ContentDisposition disposition = ContentDisposition.attachment()
                .filename("model-" + id + ".safetensors").build();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString()).body(file);
    }
}
