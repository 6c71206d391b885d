package dev.gradlens.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An uploaded corpus: what it holds, measured at upload. The text itself is a UTF-8 file named
 * after the id in {@code gradlens.storage.dataset-dir}.
 */
@Entity
@Table(name = "datasets")
public class DatasetEntity {

    @Id
    private UUID id;

    private String name;
    private Instant createdAt;
    private long sizeBytes;
    private long characters;
    private int vocabSize;
    private String alphabet;
    private String sha256;

    protected DatasetEntity() {
    }

    DatasetEntity(UUID id, String name, Instant createdAt, Measures measures) {
        this.id = id;
        this.name = name;
        this.createdAt = createdAt;
        this.sizeBytes = measures.sizeBytes();
        this.characters = measures.characters();
        this.vocabSize = measures.vocabSize();
        this.alphabet = measures.alphabet();
        this.sha256 = measures.sha256();
    }

    /**
     * What an upload holds.
     *
     * @param characters Unicode code points
     * @param vocabSize distinct code points
     * @param alphabet the distinct code points in ascending order, null when there are many
     */
    record Measures(long sizeBytes, long characters, int vocabSize, String alphabet,
            String sha256) {
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    Measures measures() {
        return new Measures(sizeBytes, characters, vocabSize, alphabet, sha256);
    }
}
