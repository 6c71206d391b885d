package dev.gradlens.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Recorded steps, paged by model. */
public interface StepRepository extends JpaRepository<StepEntity, Long> {

    Page<StepEntity> findByModelId(UUID modelId, Pageable pageable);

    long countByModelId(UUID modelId);

    long countByRunId(Long runId);

    long countByRunIdAndStepNumberBetween(Long runId, long from, long to);

    Page<StepEntity> findByRunId(Long runId, Pageable pageable);

    List<StepEntity> findByRunIdAndStepNumberBetweenOrderByStepNumberAsc(Long runId, long from,
            long to);

    Optional<StepEntity> findFirstByRunIdOrderByStepNumberDesc(Long runId);

    @Query("select max(s.stepNumber) from StepEntity s where s.modelId = :modelId")
    Optional<Long> findMaxStepNumber(@Param("modelId") UUID modelId);
}
