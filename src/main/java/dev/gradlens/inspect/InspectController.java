package dev.gradlens.inspect;

import dev.gradlens.inspect.InspectionService.Kind;
import dev.gradlens.system.ApiException;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/models/{id}/gradients}, {@code /parameters} and {@code /attention}: look inside a
 * live model. A tensor comes as nested JSON arrays, or as a .npy file when the client asks for
 * {@code application/octet-stream} or passes {@code ?format=npy}.
 */
@RestController
@RequestMapping("/api/models/{id}")
class InspectController {

    private static final MediaType NPY = MediaType.APPLICATION_OCTET_STREAM;

    private final InspectionService inspection;
    private final AttentionService attention;

    InspectController(InspectionService inspection, AttentionService attention) {
        this.inspection = inspection;
        this.attention = attention;
    }

    @GetMapping("/gradients")
    StatsView gradients(@PathVariable UUID id, @RequestParam(required = false) Integer bins) {
        return inspection.stats(id, Kind.GRADIENT, bins);
    }

    @GetMapping("/parameters")
    StatsView parameters(@PathVariable UUID id, @RequestParam(required = false) Integer bins) {
        return inspection.stats(id, Kind.PARAMETER, bins);
    }

    @GetMapping("/gradients/{name}")
    ResponseEntity<?> gradient(@PathVariable UUID id, @PathVariable String name,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return tensor(id, Kind.GRADIENT, name, format, accept);
    }

    @GetMapping("/parameters/{name}")
    ResponseEntity<?> parameter(@PathVariable UUID id, @PathVariable String name,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return tensor(id, Kind.PARAMETER, name, format, accept);
    }

    @PostMapping("/attention")
    AttentionView attention(@PathVariable UUID id, @RequestBody AttentionRequest request,
            @RequestParam(required = false) Integer layer,
            @RequestParam(required = false) Integer head) {
        return attention.attention(id, request, layer, head);
    }

    private ResponseEntity<?> tensor(UUID id, Kind kind, String name, String format,
            String accept) {
        if (!wantsNpy(format, accept)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(inspection.tensor(id, kind, name));
        }
        byte[] npy = inspection.npy(id, kind, name);
        String file = kind.name().toLowerCase() + "-" + name + ".npy";
        return ResponseEntity.ok().contentType(NPY)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .body(npy);
    }

    private static boolean wantsNpy(String format, String accept) {
        if (format != null) {
            return switch (format) {
                case "npy" -> true;
                case "json" -> false;
                default -> throw ApiException.invalid("format",
                        "must be \"json\" or \"npy\", was \"" + format + "\"");
            };
        }
        if (accept == null) {
            return false;
        }
        for (MediaType type : acceptedTypes(accept)) {
            if (type.equalsTypeAndSubtype(NPY)) {
                return true;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }

    private static java.util.List<MediaType> acceptedTypes(String accept) {
        try {
            return MediaType.parseMediaTypes(accept);
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            throw ApiException.invalid("Accept", "is not a valid media type list: " + accept);
        }
    }
}
