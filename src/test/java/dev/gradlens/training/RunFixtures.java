package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Datasets and run helpers shared by the run tests. */
final class RunFixtures {

    private RunFixtures() {
    }

    /** Uploads a plain-text dataset and returns its id. */
    static String upload(Api api, String text) {
        Api.Response response = api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build());
        return response.ok(201).path("id").asString();
    }

    /** Uploads a dataset as a multipart file part. */
    static JsonNode uploadMultipart(Api api, String fileName, String text) {
        String boundary = "gradlens-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + text + "\r\n--" + boundary + "--\r\n";
        return api.send(HttpRequest.newBuilder(api.uri("/api/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build())
                .ok(201);
    }

    /** Polls the run until {@code until} holds for it. */
    static JsonNode await(Api api, long runId, Predicate<JsonNode> until, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode run = api.get("/api/runs/" + runId).ok(200);
        while (!until.test(run)) {
            assertThat(Instant.now()).as("run %s: %s", runId, run).isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            run = api.get("/api/runs/" + runId).ok(200);
        }
        return run;
    }
}
