package dev.gradlens.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A dataset as the API shows it.
 *
 * @param bytes size of the UTF-8 text
 * @param characters Unicode code points
 * @param vocabSize distinct code points (the vocabulary of a char tokenizer built from it)
 * @param alphabet the distinct code points in ascending order; absent when there are more than
 *     {@value DatasetService#MAX_SHOWN_ALPHABET}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(UUID id, String name, Instant createdAt, long bytes, long characters,
        int vocabSize, String alphabet, String sha256) {

    static DatasetView of(DatasetEntity row) {
        DatasetEntity.Measures m = row.measures();
        return new DatasetView(row.getId(), row.getName(), row.getCreatedAt(), m.sizeBytes(),
                m.characters(), m.vocabSize(), m.alphabet(), m.sha256());
    }
}
