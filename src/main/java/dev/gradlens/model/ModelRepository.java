package dev.gradlens.model;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Model rows. Deleting one removes its runs, steps and gradient norms (ON DELETE CASCADE). */
public interface ModelRepository extends JpaRepository<ModelEntity, UUID> {

    List<ModelEntity> findAllByOrderByCreatedAtAscIdAsc();

    /**
     * The training steps recorded for a model, manual and run steps alike: the rows that
     * {@code GET /api/models/{id}/steps} pages through and counts as {@code totalElements}. One
     * count, which the index of the unique (model_id, step_number) constraint serves.
     */
    @Query("select count(s) from StepEntity s where s.modelId = :id")
    long countSteps(UUID id);

    /** {@link #countSteps} of every model that has steps, in one query. */
    @Query("select s.modelId as modelId, count(s) as steps from StepEntity s group by s.modelId")
    List<StepCount> countStepsByModel();

    /** A row of {@link #countStepsByModel}. */
    interface StepCount {
        UUID getModelId();

        long getSteps();
    }

    /**
     * Deletes the row in one statement; of requests racing to delete it, exactly one gets 1.
     *
     * @return the rows deleted: 1, or 0 when there was none
     */
    @Transactional
    @Modifying
    @Query("delete from ModelEntity m where m.id = :id")
    int deleteRow(UUID id);
}
