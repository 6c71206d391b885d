package dev.gradlens.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import dev.gradlens.system.GradlensProperties.Limits;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@code gradlens.limits.max-request-bytes} on every request body: a declared
 * Content-Length past the limit is answered 413 before the body is read, and a body without one
 * (chunked) is counted while it is read, failing with {@link RequestTooLargeException} as soon as
 * it passes the limit. {@link ProblemAdvice} turns that into the same 413, as does {@link
 * Utf8JsonFilter}, which reads JSON bodies through this count before Spring. Dataset uploads have
 * their own, larger limit; multipart uploads are left to the servlet container, which parses them
 * from its own stream (past this filter's counting) and bounds them itself ({@link
 * MultipartConfig}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeFilter extends OncePerRequestFilter {

    /** Room for multipart headers and small parts beside the dataset itself. */
    static final long MULTIPART_ALLOWANCE = 64 * 1024;

    private final GradlensProperties properties;
    private final ProblemWriter problemWriter;

    RequestSizeFilter(GradlensProperties properties, ProblemWriter problemWriter) {
        this.properties = properties;
        this.problemWriter = problemWriter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isUpload(request)
                && StringUtils.startsWithIgnoreCase(request.getContentType(), "multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        BodyLimit limit = limitFor(request);
        long declared = request.getContentLengthLong();
        if (declared > limit.bytes()) {
            RequestTooLargeException tooLarge = new RequestTooLargeException(limit);
            problemWriter.write(request, response, tooLarge.toApiException());
            return;
        }
        chain.doFilter(new CountingRequest(request, limit), response);
    }

    /**
     * Plain-text uploads of datasets may be as large as {@code max-dataset-bytes} plus the
     * multipart allowance; the dataset service checks the text itself.
     */
    private BodyLimit limitFor(HttpServletRequest request) {
        Limits limits = properties.getLimits();
        long upload = limits.getMaxDatasetBytes() + MULTIPART_ALLOWANCE;
        if (isUpload(request) && upload > limits.getMaxRequestBytes()) {
            return new BodyLimit(upload, "gradlens.limits.max-dataset-bytes plus 64 KiB");
        }
        return new BodyLimit(limits.getMaxRequestBytes(), "gradlens.limits.max-request-bytes");
    }

    /** A body's limit in bytes and the setting it comes from, for the 413's message. */
    record BodyLimit(long bytes, String setting) {
    }

    private static boolean isUpload(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && "/api/datasets".equals(request.getRequestURI());
    }

    /** Thrown while reading a body that passes the limit. */
    public static final class RequestTooLargeException extends IOException {

        private final BodyLimit limit;

        RequestTooLargeException(BodyLimit limit) {
            super("request body is larger than " + limit.bytes() + " bytes");
            this.limit = limit;
        }

        ApiException toApiException() {
            return ApiException.tooLarge("body", "request body is larger than the limit of "
                    + limit.bytes() + " bytes (" + limit.setting() + ")");
        }
    }

    private static final class CountingRequest extends HttpServletRequestWrapper {

        private final BodyLimit limit;
        private ServletInputStream stream;

        CountingRequest(HttpServletRequest request, BodyLimit limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final BodyLimit limit;
        private long count;

        CountingStream(ServletInputStream in, BodyLimit limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws RequestTooLargeException {
            count += n;
            if (count > limit.bytes()) {
                throw new RequestTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
