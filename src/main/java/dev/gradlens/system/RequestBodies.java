package dev.gradlens.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/** What the filters that judge request bodies need to know about a request before reading it. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * Whether the request carries a body: a Content-Length above 0, or a Transfer-Encoding
     * (chunked), the two ways HTTP/1.1 announces one (RFC 9112 6.3). A GET with headers that
     * describe a body but none (a {@code Content-Encoding: gzip} copied onto every request) has
     * nothing to judge.
     */
    static boolean present(HttpServletRequest request) {
        return request.getContentLengthLong() > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
}
