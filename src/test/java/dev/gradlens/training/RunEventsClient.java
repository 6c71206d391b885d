package dev.gradlens.training;

import dev.gradlens.Api;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Reads a run's server-sent events with java.net.http until the final event. */
final class RunEventsClient {

    static final Set<String> FINAL = Set.of("completed", "failed", "cancelled", "interrupted");

    /** One event: its name and its data as JSON. */
    record Event(String name, JsonNode data) {
    }

    private RunEventsClient() {
    }

    /** Every event of the stream at {@code path} up to and including the final one. */
    static List<Event> readToEnd(Api api, String path, Duration timeout) {
        return subscribe(api, path).readToEnd(timeout);
    }

    /**
     * Connects and returns once the response headers arrived, that is once the service has
     * registered the subscriber and sent it the state event.
     */
    static Subscription subscribe(Api api, String path) {
        HttpRequest request = HttpRequest.newBuilder(api.uri(path))
                .header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .get(30, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                throw new AssertionError("events answered " + response.statusCode());
            }
            return new Subscription(path, response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot subscribe to " + path, e);
        }
    }

    /** An open event stream. */
    record Subscription(String path, Stream<String> lines) {

        /** The events up to and including the final one; closes the stream. */
        List<Event> readToEnd(Duration timeout) {
            CompletableFuture<List<Event>> events =
                    CompletableFuture.supplyAsync(() -> parse(lines.iterator()));
            try {
                return events.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                events.cancel(true);
                throw new AssertionError("no final event on " + path + " within " + timeout, e);
            } finally {
                lines.close();
            }
        }
    }

    private static List<Event> parse(Iterator<String> lines) {
        List<Event> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            } else if (line.isEmpty() && !data.isEmpty()) {
                events.add(new Event(name, Api.JSON.readTree(data.toString())));
                if (FINAL.contains(name)) {
                    return events;
                }
                name = "message";
                data.setLength(0);
            }
        }
        return events;
    }
}
