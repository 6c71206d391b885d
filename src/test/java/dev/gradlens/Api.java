package dev.gradlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the service under test: sends raw JSON text (so tests can send
 * malformed or non-standard JSON) and exposes status, content type, raw bytes and parsed JSON.
 */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;
    private final String base;

    public Api(int port) {
        this.port = port;
        this.base = "http://localhost:" + port;
    }

    /** A response with its body read. */
    public record Response(int status, String contentType, byte[] body,
            Map<String, List<String>> headers) {

        public JsonNode json() {
            return JSON.readTree(new String(body, StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream()
                    .findFirst().orElse(null);
        }

        /** Asserts a problem+json answer with this status naming this field; returns it. */
        public JsonNode problem(int expectedStatus, String field) {
            assertThat(status).as(text()).isEqualTo(expectedStatus);
            assertThat(contentType).startsWith("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.path("field").asString()).as(text()).isEqualTo(field);
            assertThat(problem.path("reason").asString()).isNotBlank();
            return problem;
        }

        public JsonNode ok(int expectedStatus) {
            assertThat(status).as(text()).isEqualTo(expectedStatus);
            return json();
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public Response get(String path, String accept) {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response post(String path, Object body) {
        return post(path, JSON.writeValueAsString(body));
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response =
                    client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code target} and {@code headers} (lines ending in CRLF) as written, then {@code
     * body}: for what {@link HttpClient} refuses, such as {@code ?page=%ZZ} or a Content-Length
     * that is not the length of the body. HTTP/1.0, so the answer ends with the stream.
     */
    public Response raw(String method, String target, String headers, byte[] body) {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.0\r\nHost: localhost\r\n" + headers
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            socket.shutdownOutput(); // nothing more: the server need not wait for a declared rest
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            Map<String, List<String>> received = new HashMap<>();
            for (String line : Arrays.copyOfRange(head, 1, head.length)) {
                int colon = line.indexOf(':');
                received.put(line.substring(0, colon).toLowerCase(Locale.ROOT),
                        List.of(line.substring(colon + 1).strip()));
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]),
                    received.getOrDefault("content-type", List.of("")).get(0),
                    Arrays.copyOfRange(answer, end + 4, answer.length), received);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #raw} GET. */
    public Response rawGet(String target) {
        return raw("GET", target, "", new byte[0]);
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }
}
