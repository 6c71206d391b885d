package dev.gradlens.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Event streams are written off the publishing thread, in order, one queue per subscriber. */
class RunEventsTest {

    private static final Duration HANG = Duration.ofSeconds(60); // a hang guard, not a timing

    private final RunEvents events = new RunEvents();

    /** Records the event names it is asked to send; send blocks while {@code gate} is closed. */
    private static final class RecordingEmitter extends SseEmitter {

        final List<String> names = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        final CountDownLatch gate;

        RecordingEmitter(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void send(SseEventBuilder event) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            String text = event.build().iterator().next().getData().toString();
            names.add(text.substring("event:".length(), text.indexOf('\n')));
        }

        @Override
        public void complete() {
            completed.countDown();
        }

        boolean awaitCompletion() throws InterruptedException {
            return completed.await(HANG.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static RunView view(String status) {
        return new RunView(7L, null, "dataset", status, null, 10, 0, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aSubscriberGetsStateThenItsStepsThenTheFinalEventAndCompletes() throws Exception {
        RecordingEmitter reader = new RecordingEmitter(new CountDownLatch(0));
        events.open(7L);
        events.subscribe(7L, reader, 2, () -> view("running"));

        for (int step = 1; step <= 5; step++) {
            events.step(7L, step, "s" + step);
        }
        events.publish(7L, "eval", "e");
        events.close(7L, view("completed"));

        assertThat(reader.awaitCompletion()).isTrue();
        assertThat(reader.names).containsExactly("state", "step", "step", "eval", "completed");
    }

    @Test
    void aClientThatDoesNotReadNeitherBlocksTheRunNorOtherClients() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        RecordingEmitter stuck = new RecordingEmitter(closed);
        RecordingEmitter reader = new RecordingEmitter(new CountDownLatch(0));
        events.open(7L);
        events.subscribe(7L, stuck, 1, () -> view("running"));
        events.subscribe(7L, reader, 1, () -> view("running"));
        int steps = 3 * RunEvents.MAX_QUEUED;

        assertTimeoutPreemptively(HANG, () -> {
            for (int step = 1; step <= steps; step++) {
                events.step(7L, step, step);
                if (step % 100 == 0) {
                    awaitReceived(reader, step + 1); // a client that reads keeps up
                }
            }
            events.close(7L, view("completed"));
        });

        assertThat(reader.awaitCompletion()).isTrue();
        assertThat(reader.names).hasSize(steps + 2).startsWith("state").endsWith("completed");
        closed.countDown();
        assertThat(stuck.awaitCompletion()).isTrue();
        // dropped once its queue was full: at most the event it was stuck on got through
        assertThat(stuck.names).isSubsetOf("state");
    }

    private static void awaitReceived(RecordingEmitter emitter, int count) throws Exception {
        while (emitter.names.size() < count) {
            Thread.sleep(1);
        }
    }

    @Test
    void aLateSubscriberOfAnEndedRunGetsStateAndTheFinalEvent() throws Exception {
        RecordingEmitter late = new RecordingEmitter(new CountDownLatch(0));

        events.subscribe(8L, late, 1, () -> view("cancelled"));

        assertThat(late.awaitCompletion()).isTrue();
        assertThat(late.names).containsExactly("state", "cancelled");
    }
}
