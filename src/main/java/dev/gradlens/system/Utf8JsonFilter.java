package dev.gradlens.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds JSON request bodies to UTF-8, as RFC 8259 8.1 requires of JSON exchanged between
 * systems: a declared charset other than UTF-8 is refused with 415, and the body is read whole
 * and refused with 400 {@code body} when it holds a NUL byte or bytes that are not UTF-8 ({@link
 * Utf8JsonText}). Jackson alone would read such a body as other text (see there). A body that
 * passes goes on in memory, so that it is read once.
 *
 * <p>Runs after {@link RequestSizeFilter}, whose counting stream it reads through: a body past
 * the limit stops being read there and gets the same 413 as when Jackson reads it. Only JSON
 * bodies are judged; dataset uploads (text/plain, multipart) check their own text.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class Utf8JsonFilter extends OncePerRequestFilter {

    private final ProblemWriter problemWriter;

    Utf8JsonFilter(ProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return jsonType(request).isEmpty() || !RequestBodies.present(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        BufferedBodyRequest checked;
        try {
            checked = new BufferedBodyRequest(request, checkedBody(request));
        } catch (ApiException refused) {
            problemWriter.write(request, response, refused);
            return;
        }
        chain.doFilter(checked, response);
    }

    /**
     * The whole body, once its declared charset and its bytes are found UTF-8.
     *
     * @throws ApiException 415 for another charset; 413 past the size limit; 400 for a body cut
     *     off, or one with a NUL byte or bytes that are not UTF-8
     */
    private static byte[] checkedBody(HttpServletRequest request) {
        MediaType type = jsonType(request).orElseThrow();
        if (declaresOtherCharset(type)) {
            throw notUtf8Charset(type.getParameter("charset"));
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (RequestSizeFilter.RequestTooLargeException tooLarge) {
            throw tooLarge.toApiException();
        } catch (IOException e) {
            throw unreadable();
        }
        Optional<String> fault = Utf8JsonText.fault(body);
        if (fault.isPresent()) {
            throw ApiException.invalid("body", fault.get());
        }
        return body;
    }

    /**
     * The Content-Type when it is JSON as Spring's JSON reader takes it (application/json or
     * application/...+json). A Content-Type that cannot be parsed is left to Spring, which
     * refuses it with 415 without reading the body.
     */
    private static Optional<MediaType> jsonType(HttpServletRequest request) {
        String header = request.getContentType();
        if (header == null) {
            return Optional.empty();
        }
        try {
            MediaType type = MediaType.parseMediaType(header);
            boolean json = MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    || ("application".equals(type.getType())
                            && "json".equals(type.getSubtypeSuffix()));
            return json ? Optional.of(type) : Optional.empty();
        } catch (InvalidMediaTypeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a charset other than UTF-8 is declared. Spring unquotes the parameter and resolves
     * aliases ({@code utf8}); a name Java does not know is not UTF-8 either.
     */
    private static boolean declaresOtherCharset(MediaType type) {
        if (type.getParameter("charset") == null) {
            return false;
        }
        try {
            return !StandardCharsets.UTF_8.equals(type.getCharset());
        } catch (IllegalArgumentException unknown) {
            return true;
        }
    }

    /**
     * The body stopped before its end: shorter than its Content-Length, or a chunked body cut
     * off. Tomcat marks such a request failed and answers 400 itself through the error page
     * (Spring Boot's JSON error, as when Jackson met the same end), replacing this problem;
     * it is written so that no container can let the request end without an answer.
     */
    private static ApiException unreadable() {
        return ApiException.invalid("body", "the body ended before it was read whole (is it "
                + "shorter than its Content-Length, or was the connection closed?)");
    }

    private static ApiException notUtf8Charset(String charset) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HttpHeaders.CONTENT_TYPE,
                "JSON bodies must be UTF-8 (RFC 8259); this one declares charset=" + charset);
    }

    /** The request with its body already read: served from memory, its length known. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;
        private BufferedBodyStream stream;
        private BufferedReader reader;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            if (stream == null) {
                stream = new BufferedBodyStream(body);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() {
            if (reader == null) {
                reader = new BufferedReader(
                        new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
            }
            return reader;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    private static final class BufferedBodyStream extends ServletInputStream {

        private final ByteArrayInputStream in;

        BufferedBodyStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return in.read(buffer, offset, length);
        }

        @Override
        public int available() {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** Spring MVC reads bodies blocking; the bytes are all here anyway. */
        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("the body was read before the request went on");
        }
    }
}
