package dev.gradlens.training;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Evaluations of background runs. */
public interface EvaluationRepository extends JpaRepository<EvaluationEntity, Long> {

    List<EvaluationEntity> findByRunIdOrderByRunStepAsc(Long runId);

    Optional<EvaluationEntity> findFirstByRunIdOrderByRunStepDesc(Long runId);
}
