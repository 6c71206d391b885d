package dev.gradlens.system;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The servlet container's multipart limits, derived from {@code gradlens.limits.max-dataset-bytes}
 * as it is at startup: a part may have that many bytes, the whole request 64 KiB more. The
 * container counts while it reads, with or without a Content-Length, stops at the first byte past
 * a limit (then drops at most {@code server.tomcat.max-swallow-size}, 2 MB, of the rest before it
 * closes the connection), and {@link ProblemAdvice} answers 413 {@code file}. Parts are written
 * to disk as they arrive ({@code spring.servlet.multipart.file-size-threshold}, default 0), never
 * held in the heap. {@code spring.servlet.multipart.location} and {@code file-size-threshold}
 * still apply, {@code max-file-size} and {@code max-request-size} do not.
 */
@Configuration(proxyBeanMethods = false)
class MultipartConfig {

    @Bean
    MultipartConfigElement multipartConfigElement(MultipartProperties multipart,
            GradlensProperties properties) {
        long limit = properties.getLimits().getMaxDatasetBytes();
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setLocation(multipart.getLocation());
        factory.setFileSizeThreshold(multipart.getFileSizeThreshold());
        factory.setMaxFileSize(DataSize.ofBytes(limit));
        factory.setMaxRequestSize(DataSize.ofBytes(limit + RequestSizeFilter.MULTIPART_ALLOWANCE));
        return factory.createMultipartConfig();
    }
}
