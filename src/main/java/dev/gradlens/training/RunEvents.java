package dev.gradlens.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent event streams of active runs. A subscriber first gets a {@code state} event
 * (the run as {@code GET /api/runs/{id}} shows it), then {@code step} (every N steps, N chosen per
 * subscriber), {@code eval} and {@code checkpoint} events, and one final event named after the
 * run's end ({@code completed}, {@code failed}, {@code cancelled} or {@code interrupted}), after
 * which the stream closes. Subscribing and publishing on one run are serialised, so a late
 * subscriber misses nothing between its state event and what follows.
 *
 * <p>Events are sent from the training thread; a client that does not read slows that thread down
 * by the socket's buffer at most before its send fails and it is dropped.
 */
@Component
class RunEvents {

    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);

    private record Subscriber(SseEmitter emitter, int every) {
    }

    private static final class Channel {
        final List<Subscriber> subscribers = new ArrayList<>();
        boolean closed;
    }

    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();

    /** Opens the channel of a run about to be queued. */
    void open(Long runId) {
        channels.put(runId, new Channel());
    }

    /**
     * Adds a subscriber: sends it {@code state}, and when the run has already ended, the final
     * event too, and completes it.
     */
    void subscribe(Long runId, SseEmitter emitter, int every, Supplier<RunView> current) {
        Channel channel = channels.get(runId);
        if (channel == null) {
            sendFinal(emitter, current.get());
            return;
        }
        synchronized (channel) {
            RunView view = current.get();
            if (channel.closed) {
                sendFinal(emitter, view);
                return;
            }
            if (send(emitter, "state", view)) {
                channel.subscribers.add(new Subscriber(emitter, every));
                emitter.onCompletion(() -> remove(channel, emitter));
                emitter.onTimeout(() -> remove(channel, emitter));
            }
        }
    }

    /** A {@code step} event, sent to the subscribers whose interval divides the run step. */
    void step(Long runId, int runStep, Object data) {
        publish(runId, "step", data, runStep);
    }

    /** An event every subscriber gets. */
    void publish(Long runId, String name, Object data) {
        publish(runId, name, data, 0);
    }

    /** Sends the final event named after the status and closes every stream of the run. */
    void close(Long runId, RunView last) {
        Channel channel = channels.remove(runId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            channel.closed = true;
            for (Subscriber s : channel.subscribers) {
                if (send(s.emitter(), last.status(), last)) {
                    s.emitter().complete();
                }
            }
            channel.subscribers.clear();
        }
    }

    private void publish(Long runId, String name, Object data, int runStep) {
        Channel channel = channels.get(runId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            channel.subscribers.removeIf(s -> (runStep == 0 || runStep % s.every() == 0)
                    && !send(s.emitter(), name, data));
        }
    }

    private static void sendFinal(SseEmitter emitter, RunView view) {
        send(emitter, "state", view);
        if (send(emitter, view.status(), view)) {
            emitter.complete();
        }
    }

    private static boolean send(SseEmitter emitter, String name, Object data) {
        try {
            emitter.send(SseEmitter.event().name(name).data(data));
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("Dropping an event stream: {}", e.toString());
            emitter.completeWithError(e);
            return false;
        }
    }

    private static void remove(Channel channel, SseEmitter emitter) {
        synchronized (channel) {
            channel.subscribers.removeIf(s -> s.emitter() == emitter);
        }
    }
}
