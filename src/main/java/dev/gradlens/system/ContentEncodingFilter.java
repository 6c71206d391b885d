package dev.gradlens.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose body is declared encoded ({@code Content-Encoding} other than {@code
 * identity}) with 415, before anything reads it: the service does not decompress request bodies,
 * and would otherwise read a gzip body as broken JSON, or take a plain body labelled gzip as it
 * is. The answer names the codings accepted ({@code Accept-Encoding: identity}, RFC 9110 15.5.16).
 * Only requests with a body are judged: the header means nothing on a GET without one, and some
 * clients send it on every request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ContentEncodingFilter extends OncePerRequestFilter {

    private final ProblemWriter problemWriter;

    ContentEncodingFilter(ProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestBodies.present(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        if (encoded(request)) {
            response.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            problemWriter.write(request, response, new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE, HttpHeaders.CONTENT_ENCODING,
                    "request bodies are not decompressed; send them without Content-Encoding"));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether a Content-Encoding header names a coding other than identity. */
    private static boolean encoded(HttpServletRequest request) {
        for (String header : Collections.list(
                request.getHeaders(HttpHeaders.CONTENT_ENCODING))) {
            for (String coding : header.split(",")) {
                String name = coding.strip();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    return true;
                }
            }
        }
        return false;
    }
}
