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

        /**
         * Activation elements one forward pass may hold: per layer the attention scores of every
         * sequence and head (T x T, padded to the longest sequence) and the feed-forward hidden
         * values, plus the logits.
         */
        private volatile long maxActivationElements = 1L << 25;

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
}
