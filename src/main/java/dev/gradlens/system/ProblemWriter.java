package dev.gradlens.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the problem+json body of an {@link ApiException}, and writes it directly where no
 * controller runs (servlet filters).
 */
@Component
public class ProblemWriter {

    private final JsonMapper jsonMapper;

    ProblemWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The problem for {@code error}: status, title, detail, and the {@code field} at fault. */
    public static ProblemDetail problemOf(ApiException error, String path) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(error.status(), error.getMessage());
        problem.setInstance(URI.create(path));
        if (error.field() != null) {
            problem.setProperty("field", error.field());
        }
        problem.setProperty("reason", error.reason());
        return problem;
    }

    void write(HttpServletRequest request, HttpServletResponse response, ApiException error)
            throws IOException {
        ProblemDetail problem = problemOf(error, request.getRequestURI());
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the body is not read: tell the client the connection will not be reused
        response.setHeader("Connection", "close");
        jsonMapper.writeValue(response.getOutputStream(), problem);
    }
}
