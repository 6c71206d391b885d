package dev.gradlens.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Training runs of the models. */
public interface TrainingRunRepository extends JpaRepository<TrainingRunEntity, Long> {

    Optional<TrainingRunEntity> findFirstByModelIdAndKindOrderByIdAsc(UUID modelId, String kind);

    List<TrainingRunEntity> findByStatusIn(List<String> statuses);

    List<TrainingRunEntity> findByModelIdOrderByIdAsc(UUID modelId);
}
