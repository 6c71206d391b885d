package dev.gradlens.training;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * The server-sent event streams of active runs. A subscriber first gets a {@code state} event
 * (the run as {@code GET /api/runs/{id}} shows it), then {@code step} (every N steps, N chosen per
 * subscriber), {@code eval} and {@code checkpoint} events, and one final event named after the
 * run's end ({@code completed}, {@code failed}, {@code cancelled} or {@code interrupted}), after
 * which the stream closes. Subscribing and publishing on one run are serialised, so a late
 * subscriber misses nothing between its state event and what follows.
 *
 * <p>The training thread only queues events: each subscriber has its own queue, written to its
 * socket by a sender thread, in order. A client that stops reading blocks only its own sender;
 * once {@value #MAX_QUEUED} of its events wait, it is dropped.
 */
@Component
class RunEvents {

    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);

    /** Events one subscriber may have waiting before it counts as not reading. */
    static final int MAX_QUEUED = 1000;

    private static final class Channel {
        final List<Subscriber> subscribers = new ArrayList<>();
        boolean closed;
    }

    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "run-events");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens the channel of a run about to be queued. */
    void open(Long runId) {
        channels.put(runId, new Channel());
    }

    /**
     * Adds a subscriber: queues {@code state} for it, and when the run has already ended, the
     * final event too, after which its stream completes.
     */
    void subscribe(Long runId, SseEmitter emitter, int every, Supplier<RunView> current) {
        Subscriber subscriber = new Subscriber(emitter, every);
        Channel channel = channels.get(runId);
        if (channel == null) {
            subscriber.offerFinal(current.get());
            return;
        }
        synchronized (channel) {
            RunView view = current.get();
            if (channel.closed) {
                subscriber.offerFinal(view);
                return;
            }
            subscriber.offer("state", view);
            channel.subscribers.add(subscriber);
            emitter.onCompletion(() -> remove(channel, subscriber));
            emitter.onTimeout(() -> remove(channel, subscriber));
        }
    }

    /** A {@code step} event, queued for the subscribers whose interval divides the run step. */
    void step(Long runId, int runStep, Object data) {
        publish(runId, "step", data, runStep);
    }

    /** An event every subscriber gets. */
    void publish(Long runId, String name, Object data) {
        publish(runId, name, data, 0);
    }

    /** Queues the final event named after the status and closes every stream of the run. */
    void close(Long runId, RunView last) {
        Channel channel = channels.remove(runId);
        if (channel == null) {
            return;
        }
        synchronized (channel) {
            channel.closed = true;
            for (Subscriber s : channel.subscribers) {
                s.offerLast(last.status(), last);
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
            channel.subscribers.removeIf(s -> (runStep == 0 || runStep % s.every == 0)
                    && !s.offer(name, data));
        }
    }

    private static void remove(Channel channel, Subscriber subscriber) {
        synchronized (channel) {
            channel.subscribers.remove(subscriber);
        }
    }

    /**
     * One client's stream: a queue of events and at most one sender task draining it. The
     * emitter is touched only by the sender, so a blocked socket never holds up the caller.
     */
    private final class Subscriber {

        final SseEmitter emitter;
        final int every;
        private final ArrayDeque<SseEventBuilder> queue = new ArrayDeque<>();
        private boolean sending; // a sender task is draining the queue
        private boolean last; // the final event is queued: complete after it
        private boolean dropped;

        Subscriber(SseEmitter emitter, int every) {
            this.emitter = emitter;
            this.every = every;
        }

        /** Queues an event; false when the subscriber is dropped (gone or not reading). */
        synchronized boolean offer(String name, Object data) {
            if (dropped || last) {
                return !dropped;
            }
            if (queue.size() >= MAX_QUEUED) {
                log.debug("Dropping an event stream: {} events unread", queue.size());
                dropped = true;
                queue.clear();
                return false;
            }
            queue.add(SseEmitter.event().name(name).data(data));
            if (!sending) {
                sending = true;
                senders.execute(this::drain);
            }
            return true;
        }

        /** Queues the last event; the stream completes once it is written. */
        synchronized void offerLast(String name, Object data) {
            if (offer(name, data)) {
                last = true;
            }
        }

        /** {@code state}, then the final event of a run that has ended. */
        void offerFinal(RunView view) {
            offer("state", view);
            offerLast(view.status(), view);
        }

        private void drain() {
            SseEventBuilder next;
            while ((next = nextOrStop()) != null) {
                try {
                    emitter.send(next);
                } catch (IOException | IllegalStateException e) {
                    log.debug("Dropping an event stream: {}", e.toString());
                    stop();
                    emitter.completeWithError(e);
                    return;
                }
            }
        }

        /** The next event to send, or null when there is none; then completes after the last. */
        private SseEventBuilder nextOrStop() {
            boolean complete;
            synchronized (this) {
                SseEventBuilder next = dropped ? null : queue.poll();
                if (next != null) {
                    return next;
                }
                sending = false;
                complete = last || dropped;
            }
            if (complete) {
                emitter.complete();
            }
            return null;
        }

        private synchronized void stop() {
            dropped = true;
            sending = false;
            queue.clear();
        }
    }
}
