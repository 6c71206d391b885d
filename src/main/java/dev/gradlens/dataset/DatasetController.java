package dev.gradlens.dataset;

import dev.gradlens.system.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /api/datasets}: upload a corpus (plain text or a multipart file), list, show. */
@RestController
@RequestMapping("/api/datasets")
class DatasetController {

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    @PostMapping(consumes = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<DatasetView> uploadText(@RequestBody(required = false) byte[] body,
            @RequestParam(required = false) String name) {
        return created(datasets.create(name, body == null ? new byte[0] : body, "body"));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetView> uploadFile(@RequestPart(required = false) MultipartFile file,
            @RequestParam(required = false) String name) {
        if (file == null) {
            throw ApiException.invalid("file", "is required: a multipart part named file");
        }
        // the container has stored the part on disk, within its limits: check before reading it
        datasets.checkSize(file.getSize(), "file");
        try {
            String chosen = name != null ? name : file.getOriginalFilename();
            return created(datasets.create(chosen, file.getBytes(), "file"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping
    List<DatasetView> list() {
        return datasets.list();
    }

    @GetMapping("/{id}")
    DatasetView get(@PathVariable UUID id) {
        return datasets.get(id, "id");
    }

    private static ResponseEntity<DatasetView> created(DatasetView view) {
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(view.id()).toUri();
        return ResponseEntity.created(location).body(view);
    }
}
