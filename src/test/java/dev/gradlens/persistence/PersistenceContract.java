package dev.gradlens.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlens.model.ModelEntity;
import dev.gradlens.model.ModelRepository;
import dev.gradlens.model.ModelSpec;
import dev.gradlens.model.TokenizerSpec;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.training.StepEntity;
import dev.gradlens.training.StepRepository;
import dev.gradlens.training.TrainingRunEntity;
import dev.gradlens.training.TrainingRunRepository;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Repository behaviour every supported database must show: the Flyway schema validates against
 * the entities, rows round-trip, steps page in order, and deleting a model removes its history.
 * Each subclass runs these against one database. Every test runs in a transaction that is rolled
 * back ({@code @Transactional} sits here because the test methods are declared here).
 */
@Transactional
abstract class PersistenceContract {

    @Autowired
    ModelRepository models;

    @Autowired
    TrainingRunRepository runs;

    @Autowired
    StepRepository steps;

    @Autowired
    EntityManager entityManager;

    @Autowired
    JdbcTemplate jdbc;

    static ModelEntity model(String alphabet) {
        TransformerConfig config = TransformerConfig.of(alphabet.codePointCount(0,
                alphabet.length()), 16, 2, 2, 32).withNorm(TransformerConfig.NormPlacement.POST);
        ModelSpec spec = new ModelSpec("contract", config, OptimizerConfig.adamW(3e-4),
                new TokenizerSpec(TokenizerSpec.CHAR, alphabet),
                ModelSpec.parameterCountOf(config));
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new ModelEntity(UUID.randomUUID(), spec, created);
    }

    private StepEntity step(UUID modelId, Long runId, long number, double loss) {
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("token_embedding.weight", loss / 10);
        norms.put("blocks.0.attention.q.weight", loss / 20);
        return new StepEntity(runId, modelId, number, number,
                new StepEntity.Measures(loss, loss / 2, 1e-3, 64, 5, true, Double.isFinite(loss)),
                norms, Instant.now());
    }

    private void flushAndClear() {
        entityManager.flush();
        entityManager.clear();
    }

    @Test
    void shouldRoundTripModelConfigAndUnicodeAlphabet() {
        ModelEntity saved = models.save(model(" !,.?abcé世😀"));
        flushAndClear();

        ModelEntity read = models.findById(saved.getId()).orElseThrow();
        assertThat(read.config()).isEqualTo(saved.config());
        assertThat(read.optimizer()).isEqualTo(saved.optimizer());
        assertThat(read.tokenizer()).isEqualTo(saved.tokenizer());
        assertThat(read.getCreatedAt()).isEqualTo(saved.getCreatedAt());
        assertThat(read.getParameterCount()).isEqualTo(saved.getParameterCount());
    }

    @Test
    void shouldPageStepsInStepOrderWithTheirGradientNorms() {
        ModelEntity model = models.save(model("ab"));
        Long run = runs.save(new TrainingRunEntity(model.getId(), TrainingRunEntity.MANUAL,
                Instant.now())).getId();
        for (long n : new long[] {3, 1, 2}) {
            steps.save(step(model.getId(), run, n, 4.0 - n));
        }
        flushAndClear();

        Page<StepEntity> page = steps.findByModelId(model.getId(),
                PageRequest.of(0, 2, Sort.by("stepNumber")));
        assertThat(page.getTotalElements()).isEqualTo(3);
        assertThat(page.getContent()).extracting(StepEntity::getStepNumber).containsExactly(1L, 2L);
        assertThat(page.getContent().get(0).getGradNorms()).containsExactly(
                Map.entry("token_embedding.weight", 3.0 / 10),
                Map.entry("blocks.0.attention.q.weight", 3.0 / 20));
        assertThat(page.getContent().get(1).measures().loss()).isEqualTo(2.0);
    }

    @Test
    void shouldStoreNonFiniteLoss() {
        ModelEntity model = models.save(model("ab"));
        Long run = runs.save(new TrainingRunEntity(model.getId(), TrainingRunEntity.MANUAL,
                Instant.now())).getId();
        steps.save(step(model.getId(), run, 1, Double.NaN));
        flushAndClear();

        StepEntity read = steps.findByModelId(model.getId(), PageRequest.of(0, 1)).getContent()
                .get(0);
        assertThat(read.measures().loss()).isNaN();
        assertThat(read.measures().finite()).isFalse();
        assertThat(read.getGradNorms().get("token_embedding.weight")).isNaN();
    }

    @Test
    void shouldStoreNonFiniteGradientNormsAsValidJson() {
        ModelEntity model = models.save(model("ab"));
        Long run = runs.save(new TrainingRunEntity(model.getId(), TrainingRunEntity.MANUAL,
                Instant.now())).getId();
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("z.weight", Double.POSITIVE_INFINITY);
        norms.put("a.weight", Double.NEGATIVE_INFINITY);
        norms.put("m.bias", Double.NaN);
        norms.put("b.bias", 0.1);
        steps.save(new StepEntity(run, model.getId(), 1, 1,
                new StepEntity.Measures(1.0, Double.POSITIVE_INFINITY, 1e-3, 64, 5, false, false),
                norms, Instant.now()));
        flushAndClear();

        String column = jdbc.queryForObject("SELECT grad_norms FROM training_steps", String.class);
        assertThat(column).isEqualTo("{\"z.weight\":\"Infinity\",\"a.weight\":\"-Infinity\","
                + "\"m.bias\":\"NaN\",\"b.bias\":0.1}");
        StepEntity read = steps.findByModelId(model.getId(), PageRequest.of(0, 1)).getContent()
                .get(0);
        assertThat(read.getGradNorms()).containsExactly(
                Map.entry("z.weight", Double.POSITIVE_INFINITY),
                Map.entry("a.weight", Double.NEGATIVE_INFINITY), Map.entry("m.bias", Double.NaN),
                Map.entry("b.bias", 0.1));
    }

    @Test
    void shouldRefuseTwoStepsWithTheSameNumber() {
        ModelEntity model = models.save(model("ab"));
        Long run = runs.save(new TrainingRunEntity(model.getId(), TrainingRunEntity.MANUAL,
                Instant.now())).getId();
        steps.save(step(model.getId(), run, 1, 1.0));
        assertThatThrownBy(() -> steps.saveAndFlush(step(model.getId(), run, 1, 2.0)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void shouldDeleteRunsStepsAndNormsWithTheModel() {
        ModelEntity model = models.save(model("ab"));
        ModelEntity other = models.save(model("xy"));
        for (ModelEntity m : List.of(model, other)) {
            Long run = runs.save(new TrainingRunEntity(m.getId(), TrainingRunEntity.MANUAL,
                    Instant.now())).getId();
            steps.save(step(m.getId(), run, 1, 1.0));
        }
        flushAndClear();

        models.deleteById(model.getId());
        flushAndClear();

        assertThat(runs.findFirstByModelIdAndKindOrderByIdAsc(model.getId(),
                TrainingRunEntity.MANUAL)).isEmpty();
        assertThat(steps.countByModelId(model.getId())).isZero();
        assertThat(steps.countByModelId(other.getId())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM training_steps", Long.class))
                .isEqualTo(1L);
    }
}
