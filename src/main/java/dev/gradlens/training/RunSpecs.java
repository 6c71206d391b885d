package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.nn.InvalidConfigException;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.OptimizerConfig.Schedule;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties.Limits;
import java.util.Locale;

/** Turns a {@link RunRequest} into a {@link RunSpec}, naming the field at fault. */
final class RunSpecs {

    static final int DEFAULT_BATCH_SIZE = 12;
    static final int DEFAULT_SEQ_LEN = 64;
    static final int DEFAULT_EVAL_BATCHES = 10;

    private RunSpecs() {
    }

    static RunSpec resolve(RunRequest r, LiveModel live, Limits limits) {
        if (r.datasetId() == null) {
            throw ApiException.invalid("datasetId", "is required");
        }
        if (r.steps() == null) {
            throw ApiException.invalid("steps", "is required");
        }
        int steps = bounded("steps", r.steps(), 1, limits.getMaxRunSteps());
        int batchSize = bounded("batchSize", orElse(r.batchSize(), DEFAULT_BATCH_SIZE), 1, 4096);
        int maxSeqLen = live.transformer().config().maxSeqLen();
        int seqLen = orElse(r.seqLen(), Math.min(DEFAULT_SEQ_LEN, maxSeqLen));
        if (seqLen < 1 || seqLen > maxSeqLen) {
            throw ApiException.invalid("seqLen", "must be between 1 and the model's maxSeqLen "
                    + maxSeqLen + ", was " + seqLen);
        }
        TokenIds.checkCount("batchSize", (long) batchSize * seqLen, limits);
        TokenIds.checkActivations("batchSize", live.transformer().config(), batchSize, seqLen,
                limits);
        return new RunSpec(r.datasetId(), steps, batchSize, seqLen,
                bounded("evalInterval", orElse(r.evalInterval(), Math.max(1, steps / 10)), 0,
                        Integer.MAX_VALUE),
                bounded("evalBatches", orElse(r.evalBatches(), DEFAULT_EVAL_BATCHES), 1, 1000),
                bounded("checkpointInterval", orElse(r.checkpointInterval(), 0), 0,
                        Integer.MAX_VALUE),
                r.seed() == null ? 1 : r.seed(),
                optimizerOf(r.schedule(), live.trainer().config()));
    }

    private static OptimizerConfig optimizerOf(RunRequest.ScheduleRequest s, OptimizerConfig base) {
        if (s == null) {
            return null;
        }
        double learningRate = finite("schedule.learningRate", s.learningRate(),
                base.learningRate());
        if (learningRate <= 0) {
            throw ApiException.invalid("schedule.learningRate", "must be positive");
        }
        double min = finite("schedule.minLearningRate", s.minLearningRate(),
                Math.min(base.minLearningRate(), learningRate));
        if (min < 0 || min > learningRate) {
            throw ApiException.invalid("schedule.minLearningRate",
                    "must be between 0 and learningRate " + learningRate);
        }
        Schedule schedule = scheduleOf(s.type(), base.schedule());
        int warmup = bounded("schedule.warmupSteps", orElse(s.warmupSteps(), base.warmupSteps()),
                0, 1_000_000_000);
        int decay = bounded("schedule.decaySteps", orElse(s.decaySteps(), base.decaySteps()), 0,
                1_000_000_000);
        if (schedule == Schedule.WARMUP_COSINE && decay <= warmup) {
            throw ApiException.invalid("schedule.decaySteps",
                    "must be greater than warmupSteps for the warmup_cosine schedule");
        }
        OptimizerConfig config = new OptimizerConfig(base.type(), learningRate, base.momentum(),
                base.beta1(), base.beta2(), base.epsilon(), base.weightDecay(), base.gradClip(),
                schedule, warmup, decay, min);
        try {
            return config.validate();
        } catch (InvalidConfigException e) {
            throw ApiException.invalid("schedule." + e.field(),
                    e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static Schedule scheduleOf(String type, Schedule fallback) {
        if (type == null) {
            return fallback;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "constant" -> Schedule.CONSTANT;
            case "warmup_cosine" -> Schedule.WARMUP_COSINE;
            default -> throw ApiException.invalid("schedule.type",
                    "must be \"constant\" or \"warmup_cosine\", was \"" + type + "\"");
        };
    }

    private static int orElse(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static int bounded(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max
                    + ", was " + value);
        }
        return value;
    }

    private static double finite(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!Double.isFinite(v)) {
            throw ApiException.invalid(field, "must be a finite number");
        }
        return v;
    }
}
