package dev.gradlens.system;

import dev.gradlens.nn.InvalidConfigException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every refused request with application/problem+json (RFC 9457) that names the field at
 * fault in a {@code field} property and says why in {@code reason}. Errors of Spring MVC itself
 * (unknown route, wrong method or media type) keep their status and get the same shape.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException error, HttpServletRequest request) {
        return respond(error, request.getRequestURI());
    }

    @ExceptionHandler(InvalidConfigException.class)
    ResponseEntity<Object> handleInvalidConfig(InvalidConfigException error,
            HttpServletRequest request) {
        String reason = error.getMessage().substring(error.field().length() + 2);
        return respond(ApiException.invalid(error.field(), reason), request.getRequestURI());
    }

    /** A query string Tomcat cannot decode ({@code ?page=%ZZ}, bytes that are not UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleInvalidParameter(InvalidParameterException error,
            HttpServletRequest request) {
        return respond(QueryErrors.describe(error, request.getQueryString()),
                request.getRequestURI());
    }

    /** A multipart body that cannot be parsed: a truncated part, no boundary. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMultipart(MultipartException error, HttpServletRequest request) {
        return respond(ApiException.invalid("file", "is not a readable multipart/form-data body: "
                + NestedExceptionUtils.getMostSpecificCause(error).getMessage()),
                request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception error, HttpServletRequest request) {
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + error.getClass().getName());
        problem.setInstance(URI.create(request.getRequestURI()));
        return problemResponse(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException error, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        RequestSizeFilter.RequestTooLargeException tooLarge =
                causeOf(error, RequestSizeFilter.RequestTooLargeException.class);
        if (tooLarge != null) {
            return respond(tooLarge.toApiException(), pathOf(request));
        }
        return respond(JsonErrors.describe(error), pathOf(request));
    }

    /**
     * The servlet container stopped reading an upload at its multipart limits (see
     * {@link MultipartConfig}): a part or the request too large, or too many parts.
     */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException error, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        FileCountLimitExceededException parts =
                causeOf(error, FileCountLimitExceededException.class);
        SizeException size = causeOf(error, SizeException.class);
        String reason;
        if (parts != null) {
            reason = "the upload has more than " + parts.getLimit()
                    + " parts (server.tomcat.max-part-count)";
        } else if (size instanceof FileSizeLimitExceededException) {
            reason = "the file is larger than the limit of " + size.getPermittedSize()
                    + " bytes (gradlens.limits.max-dataset-bytes)";
        } else {
            reason = "the upload is larger than the limit"
                    + (size == null ? "" : " of " + size.getPermittedSize() + " bytes")
                    + " (gradlens.limits.max-dataset-bytes plus 64 KiB)";
        }
        return respond(ApiException.tooLarge("file", reason), pathOf(request));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException error, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors = error.getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "reason", String.valueOf(
                        e.getDefaultMessage())))
                .toList();
        Map<String, String> first = errors.isEmpty()
                ? Map.of("field", "body", "reason", "invalid") : errors.get(0);
        ApiException api = ApiException.invalid(first.get("field"), first.get("reason"));
        ProblemDetail problem = ProblemWriter.problemOf(api, pathOf(request));
        problem.setProperty("errors", errors);
        return problemResponse(problem);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException error,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = error.getPropertyName() != null ? error.getPropertyName() : "parameter";
        String expected = JsonErrors.expectedOf(error.getRequiredType());
        return respond(ApiException.invalid(field, "'" + error.getValue() + "' is not "
                + (expected == null ? "a valid value here" : expected)), pathOf(request));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException error, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return respond(ApiException.invalid(error.getParameterName(), "is required"),
                pathOf(request));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception error, Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (status.is5xxServerError()) {
            log.error("Failed on {}", pathOf(request), error);
        }
        ResponseEntity<Object> response =
                super.handleExceptionInternal(error, body, headers, status, request);
        if (response == null || response.getBody() == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
    }

    private static ResponseEntity<Object> respond(ApiException error, String path) {
        return problemResponse(ProblemWriter.problemOf(error, path));
    }

    private static ResponseEntity<Object> problemResponse(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String pathOf(WebRequest request) {
        return request.getDescription(false).replaceFirst("^uri=", "");
    }

    private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
