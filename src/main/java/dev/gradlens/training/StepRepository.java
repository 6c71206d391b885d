package dev.gradlens.training;

import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Recorded steps, paged by model. */
public interface StepRepository extends JpaRepository<StepEntity, Long> {

    Page<StepEntity> findByModelId(UUID modelId, Pageable pageable);

    long countByModelId(UUID modelId);
}
