package dev.gradlens.model;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Model rows. Deleting one removes its runs, steps and gradient norms (ON DELETE CASCADE). */
public interface ModelRepository extends JpaRepository<ModelEntity, UUID> {

    List<ModelEntity> findAllByOrderByCreatedAtAscIdAsc();
}
