package dev.gradlens.training;

import dev.gradlens.dataset.DatasetService;
import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelService;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import dev.gradlens.text.Corpus;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts, tracks and stops background runs. Runs execute on a bounded pool
 * ({@code gradlens.runs.threads} threads, {@code gradlens.runs.max-queued} waiting); a model is
 * trained by at most one run at a time. When the service shuts down, active runs stop after their
 * current step, are checkpointed and end as interrupted; waiting runs end as interrupted too.
 */
@Service
public class RunService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ModelService models;
    private final DatasetService datasets;
    private final RunStore store;
    private final StepRecorder recorder;
    private final RunEvents events;
    private final GradlensProperties properties;
    private final ThreadPoolExecutor executor;
    private final Map<Long, RunExecution> active = new ConcurrentHashMap<>();
    private volatile boolean running;

    RunService(ModelService models, DatasetService datasets, RunStore store,
            StepRecorder recorder, RunEvents events, GradlensProperties properties) {
        this.models = models;
        this.datasets = datasets;
        this.store = store;
        this.recorder = recorder;
        this.events = events;
        this.properties = properties;
        this.executor = newExecutor(properties.getRuns());
    }

    private static ThreadPoolExecutor newExecutor(GradlensProperties.Runs runs) {
        AtomicInteger count = new AtomicInteger();
        int threads = Math.max(1, runs.getThreads());
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, runs.getMaxQueued())), task -> {
                    Thread thread = new Thread(task, "run-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Checks the request, stores the run as queued and hands it to the pool.
     *
     * @throws ApiException 404 for an unknown model or dataset (naming id or datasetId), 409 when
     *     the model is not loaded or another run trains it, 400 for a bad field (a dataset the
     *     tokenizer cannot encode is named as datasetId), 413 naming batchSize past the tokens or
     *     activation limits, 503 when too many runs wait
     */
    public RunView start(UUID modelId, RunRequest request) {
        LiveModel live = models.requireLive(modelId);
        RunSpec spec = RunSpecs.resolve(request, live, properties.getLimits());
        checkIdle(live);
        Corpus corpus = RunCorpus.of(datasets.text(spec.datasetId(), "datasetId"), live, spec);

        TrainingRunEntity row = store.createQueued(modelId, spec, overrideJson(request));
        if (!live.claimForRun(row.getId())) {
            store.delete(row.getId());
            checkIdle(live);
        }
        RunExecution execution = new RunExecution(this, row.getId(), live, spec, corpus);
        active.put(row.getId(), execution);
        events.open(row.getId());
        try {
            executor.execute(execution);
        } catch (RejectedExecutionException e) {
            forget(execution);
            store.delete(row.getId());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "runs", "the service already "
                    + "has " + executor.getQueue().size() + " runs waiting "
                    + "(gradlens.runs.max-queued); try again later");
        }
        log.info("Run {} of model {} queued: {}", row.getId(), modelId, spec);
        return view(row.getId());
    }

    private static void checkIdle(LiveModel live) {
        Long other = live.activeRun();
        if (other != null) {
            throw ApiException.conflict("id", "model " + live.id() + " is already being trained "
                    + "by run " + other + "; wait for it to end or cancel it");
        }
    }

    private static String overrideJson(RunRequest request) {
        return request.schedule() == null ? null : JSON.writeValueAsString(request.schedule());
    }

    /**
     * Asks an active run to stop after its current step; a queued run ends at once.
     *
     * @throws ApiException 404 for an unknown run, 409 when it has already ended or is a manual
     *     run
     */
    public RunView cancel(Long runId) {
        RunExecution execution = active.get(runId);
        if (execution == null || execution.progress().status().finished()) {
            RunView view = view(runId);
            throw ApiException.conflict("id", "run " + runId + " is "
                    + (view.status() == null ? "a manual run" : view.status())
                    + " and cannot be cancelled");
        }
        execution.progress().requestStop(RunStatus.CANCELLED);
        log.info("Run {}: cancel requested", runId);
        if (executor.remove(execution)) {
            // still waiting for a thread: it ends now
            finished(execution, RunStatus.CANCELLED, null);
        }
        return view(runId);
    }

    /**
     * The run as it is now.
     *
     * @throws ApiException 404 naming id for an unknown run
     */
    public RunView view(Long runId) {
        return store.view(runId, active.get(runId));
    }

    /**
     * An event stream of the run; see {@link RunEvents} for the events.
     *
     * @param every a step event every this many steps (default gradlens.runs.step-event-interval)
     * @throws ApiException 404 for an unknown run, 400 naming every when it is below 1
     */
    public SseEmitter events(Long runId, Integer every) {
        view(runId);
        int interval = every == null ? properties.getRuns().getStepEventInterval() : every;
        if (interval < 1) {
            throw ApiException.invalid("every", "must be at least 1, was " + interval);
        }
        SseEmitter emitter = new SseEmitter(properties.getRuns().getEventsTimeoutMs());
        events.subscribe(runId, emitter, interval, () -> view(runId));
        return emitter;
    }

    /** Called by a run's thread when it ends. */
    void finished(RunExecution execution, RunStatus end, String error) {
        Long runId = execution.runId();
        try {
            store.markFinished(runId, end, error);
            log.info("Run {} {} after {} steps", runId, end.label(),
                    execution.progress().currentStep());
        } finally {
            forget(execution);
            execution.progress().ended(end);
            events.close(runId, finalView(execution, end, error));
        }
    }

    /** The run as stored; a bare view when its row is gone (its model was deleted). */
    private RunView finalView(RunExecution execution, RunStatus end, String error) {
        try {
            return store.view(execution.runId(), null);
        } catch (ApiException e) {
            return new RunView(execution.runId(), execution.live().id(),
                    TrainingRunEntity.BACKGROUND, end.label(), null, null,
                    execution.progress().currentStep(), null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, error);
        }
    }

    private void forget(RunExecution execution) {
        active.remove(execution.runId());
        execution.live().releaseRun(execution.runId());
    }

    /**
     * Stops active and waiting runs (as interrupted, after their current step, with a final
     * checkpoint) and waits for their threads. Runs as the first phase of shutdown, before the
     * web server waits for open requests, so event streams get their final event and close.
     */
    @Override
    public void stop() {
        running = false;
        active.values().forEach(e -> e.progress().requestStop(RunStatus.INTERRUPTED));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("Runs still active after 60 s at shutdown: {}", active.keySet());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    RunStore store() {
        return store;
    }

    StepRecorder recorder() {
        return recorder;
    }

    RunEvents events() {
        return events;
    }

    ModelService models() {
        return models;
    }

    GradlensProperties properties() {
        return properties;
    }
}
