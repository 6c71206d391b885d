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
     * Deletes the row in one statement; of requests racing to delete it, exactly one gets 1.
     *
     * @return the rows deleted: 1, or 0 when there was none
     */
    @Transactional
    @Modifying
    @Query("delete from ModelEntity m where m.id = :id")
    int deleteRow(UUID id);
}
