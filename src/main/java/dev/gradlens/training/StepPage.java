package dev.gradlens.training;

import java.util.List;
import org.springframework.data.domain.Page;

/** One page of a model's step history, in step order. */
public record StepPage(
        List<StepView> content,
        int page,
        int size,
        long totalElements,
        int totalPages) {

    static StepPage of(Page<StepEntity> page) {
        return new StepPage(page.getContent().stream().map(StepView::of).toList(),
                page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
    }
}
