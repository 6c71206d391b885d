package dev.gradlens.system;

import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the HTTP status, the request field at fault (a JSON path
 * such as {@code tokens[1][3]} or {@code optimizer.learningRate}, or a path or query parameter)
 * and the reason. Rendered as application/problem+json by {@link ProblemAdvice}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    private final String reason;

    public ApiException(HttpStatus status, String field, String reason) {
        super(field == null ? reason : field + ": " + reason);
        this.status = status;
        this.field = field;
        this.reason = reason;
    }

    /** 400: the value of {@code field} is invalid. */
    public static ApiException invalid(String field, String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST, field, reason);
    }

    /** 404: the resource named by {@code field} does not exist. */
    public static ApiException notFound(String field, String reason) {
        return new ApiException(HttpStatus.NOT_FOUND, field, reason);
    }

    /** 409: the resource exists but cannot serve this request in its current state. */
    public static ApiException conflict(String field, String reason) {
        return new ApiException(HttpStatus.CONFLICT, field, reason);
    }

    /** 413: the request carries more than a configured limit allows. */
    public static ApiException tooLarge(String field, String reason) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, field, reason);
    }

    /** 422: well-formed, but the resulting model would pass a configured limit. */
    public static ApiException unprocessable(String field, String reason) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, field, reason);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
