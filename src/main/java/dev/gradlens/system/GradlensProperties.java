package dev.gradlens.system;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code gradlens.*}. The limits are mutable so that an operator (or a test) can
 * tighten them at run time; every request reads the current values.
 */
@ConfigurationProperties("gradlens")
public class GradlensProperties {

    /** Directory where JavaCPP extracts ND4J's native libraries (see {@link JavaCppCacheDir}). */
    private String javacppCacheDir;

    private final Limits limits = new Limits();
    private final Runs runs = new Runs();
    private final Storage storage = new Storage();

    public Runs getRuns() {
        return runs;
    }

    public Storage getStorage() {
        return storage;
    }

    public String getJavacppCacheDir() {
        return javacppCacheDir;
    }

    public void setJavacppCacheDir(String javacppCacheDir) {
        this.javacppCacheDir = javacppCacheDir;
    }

    public Limits getLimits() {
        return limits;
    }

    /** Bounds on what one request, one model and the whole registry may hold. */
    public static class Limits {

        /** Live models held in memory at once. */
        private volatile int maxModels = 8;

        /** Trainable parameters (elements) of one model. */
        private volatile long maxParametersPerModel = 20_000_000;

        /** Tokens in one request: every sequence of a batch, or the attention input. */
        private volatile int maxTokensPerRequest = 16_384;

        /** Bytes of one request body. */
        private volatile long maxRequestBytes = 2 * 1024 * 1024;

        /** Histogram bins a statistics request may ask for. */
        private volatile int maxHistogramBins = 1000;

        /** Distinct characters of a char tokenizer's alphabet. */
        private volatile int maxAlphabetSize = 4096;

        /** Bytes of one uploaded dataset (the request-size limit does not apply to uploads). */
        private volatile long maxDatasetBytes = 16L * 1024 * 1024;

        /** Steps of one background run. */
        private volatile int maxRunSteps = 1_000_000;

        /** Tokens one generate request may ask for. */
        private volatile int maxGeneratedTokens = 4096;

        public long getMaxDatasetBytes() {
            return maxDatasetBytes;
        }

        public void setMaxDatasetBytes(long maxDatasetBytes) {
            this.maxDatasetBytes = maxDatasetBytes;
        }

        public int getMaxRunSteps() {
            return maxRunSteps;
        }

        public void setMaxRunSteps(int maxRunSteps) {
            this.maxRunSteps = maxRunSteps;
        }

        public int getMaxGeneratedTokens() {
            return maxGeneratedTokens;
        }

        public void setMaxGeneratedTokens(int maxGeneratedTokens) {
            this.maxGeneratedTokens = maxGeneratedTokens;
        }
        /**
         * Activation elements one step may hold: per layer the attention scores of every
         * sequence and head (T x T, padded to the longest sequence), the feed-forward hidden
         * values and the tensors of width dModel, plus the logits. The default, 2^27 (512 MiB of
         * float32), admits benchmark configuration (c) (about 110M) with its batch of 8 x 128.
         */
        private volatile long maxActivationElements = 1L << 27;

        /** Attention probabilities one attention request may return (layers x heads x T x T). */
        private volatile long maxAttentionValues = 1L << 22;

        public int getMaxModels() {
            return maxModels;
        }

        public void setMaxModels(int maxModels) {
            this.maxModels = maxModels;
        }

        public long getMaxParametersPerModel() {
            return maxParametersPerModel;
        }

        public void setMaxParametersPerModel(long maxParametersPerModel) {
            this.maxParametersPerModel = maxParametersPerModel;
        }

        public int getMaxTokensPerRequest() {
            return maxTokensPerRequest;
        }

        public void setMaxTokensPerRequest(int maxTokensPerRequest) {
            this.maxTokensPerRequest = maxTokensPerRequest;
        }

        public long getMaxRequestBytes() {
            return maxRequestBytes;
        }

        public void setMaxRequestBytes(long maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
        }

        public int getMaxHistogramBins() {
            return maxHistogramBins;
        }

        public void setMaxHistogramBins(int maxHistogramBins) {
            this.maxHistogramBins = maxHistogramBins;
        }

        public int getMaxAlphabetSize() {
            return maxAlphabetSize;
        }

        public void setMaxAlphabetSize(int maxAlphabetSize) {
            this.maxAlphabetSize = maxAlphabetSize;
        }

        public long getMaxActivationElements() {
            return maxActivationElements;
        }

        public void setMaxActivationElements(long maxActivationElements) {
            this.maxActivationElements = maxActivationElements;
        }

        public long getMaxAttentionValues() {
            return maxAttentionValues;
        }

        public void setMaxAttentionValues(long maxAttentionValues) {
            this.maxAttentionValues = maxAttentionValues;
        }
    }

    /** Background training runs. */
    public static class Runs {

        /** Runs training at the same time (each on its own model). */
        private int threads = 1;

        /** Runs waiting for a thread; more are refused with 503. */
        private int maxQueued = 16;

        /** A {@code step} server-sent event every this many steps (unless the client asks). */
        private int stepEventInterval = 1;

        /** An INFO log line every this many steps of a run. */
        private int logInterval = 50;

        /** How long an event stream stays open, in milliseconds. */
        private long eventsTimeoutMs = 6 * 60 * 60 * 1000L;

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public int getMaxQueued() {
            return maxQueued;
        }

        public void setMaxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
        }

        public int getStepEventInterval() {
            return stepEventInterval;
        }

        public void setStepEventInterval(int stepEventInterval) {
            this.stepEventInterval = stepEventInterval;
        }

        public int getLogInterval() {
            return logInterval;
        }

        public void setLogInterval(int logInterval) {
            this.logInterval = logInterval;
        }

        public long getEventsTimeoutMs() {
            return eventsTimeoutMs;
        }

        public void setEventsTimeoutMs(long eventsTimeoutMs) {
            this.eventsTimeoutMs = eventsTimeoutMs;
        }
    }

    /** Where checkpoints and datasets are kept on disk. */
    public static class Storage {

        /** One sub-directory of checkpoint files per model. */
        private String checkpointDir = "./data/checkpoints";

        /** Checkpoint files kept per model (older ones are deleted after a save). */
        private int checkpointsKept = 3;

        /** One UTF-8 text file per uploaded dataset. */
        private String datasetDir = "./data/datasets";

        public String getCheckpointDir() {
            return checkpointDir;
        }

        public void setCheckpointDir(String checkpointDir) {
            this.checkpointDir = checkpointDir;
        }

        public int getCheckpointsKept() {
            return checkpointsKept;
        }

        public void setCheckpointsKept(int checkpointsKept) {
            this.checkpointsKept = checkpointsKept;
        }

        public String getDatasetDir() {
            return datasetDir;
        }

        public void setDatasetDir(String datasetDir) {
            this.datasetDir = datasetDir;
        }
    }
}
