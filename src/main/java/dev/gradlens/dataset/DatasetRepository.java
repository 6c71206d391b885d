package dev.gradlens.dataset;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Dataset rows. */
public interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {

    List<DatasetEntity> findAllByOrderByCreatedAtAscIdAsc();
}
