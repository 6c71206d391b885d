package dev.gradlens.dataset;

import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Stores uploaded corpora: the text as a UTF-8 file in {@code gradlens.storage.dataset-dir}
 * (written under a temporary name and moved into place), its measures as a row.
 */
@Service
public class DatasetService {

    /** Alphabets up to this many characters are shown in full. */
    public static final int MAX_SHOWN_ALPHABET = 256;

    private static final Logger log = LoggerFactory.getLogger(DatasetService.class);

    private final DatasetRepository repository;
    private final GradlensProperties properties;

    DatasetService(DatasetRepository repository, GradlensProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /**
     * Checks and stores an upload.
     *
     * @param field the request part holding the text, named in errors
     * @param upload the text; a leading UTF-8 byte-order mark is dropped (it marks the
     *     encoding, it is not text), and what remains is stored and measured
     * @throws ApiException 413 past {@code gradlens.limits.max-dataset-bytes}, 400 when the name
     *     is blank, too long or has control characters, or the text is empty (or only a
     *     byte-order mark) or not UTF-8
     * @throws UncheckedIOException when the file cannot be written
     */
    public DatasetView create(String name, byte[] upload, String field) {
        checkSize(upload.length, field);
        byte[] content = withoutByteOrderMark(upload);
        if (content.length == 0 && upload.length > 0) {
            throw ApiException.invalid(field, "is empty: a byte-order mark and no text");
        }
        String text = decode(content, field);
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw ApiException.invalid("name", "must have 1 to 200 characters");
        }
        if (name != null && name.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("name", "must not contain control characters");
        }
        UUID id = UUID.randomUUID();
        write(id, content);
        DatasetEntity row = repository.save(new DatasetEntity(id,
                name != null ? name.strip() : "dataset-" + id.toString().substring(0, 8),
                Instant.now(), measure(content, text)));
        log.info("Dataset {} stored: {} bytes, {} distinct characters", id, content.length,
                row.measures().vocabSize());
        return DatasetView.of(row);
    }

    /**
     * Checks the size of an upload before it is read.
     *
     * @throws ApiException 413 naming {@code field} past {@code gradlens.limits.max-dataset-bytes}
     */
    public void checkSize(long bytes, String field) {
        long limit = properties.getLimits().getMaxDatasetBytes();
        if (bytes > limit) {
            throw ApiException.tooLarge(field, "the dataset has " + bytes + " bytes, more than "
                    + limit + " (gradlens.limits.max-dataset-bytes)");
        }
    }

    /** Every dataset, oldest first. */
    public List<DatasetView> list() {
        return repository.findAllByOrderByCreatedAtAscIdAsc().stream()
                .map(DatasetView::of).toList();
    }

    /**
     * One dataset.
     *
     * @throws ApiException 404 naming {@code field} when there is none
     */
    public DatasetView get(UUID id, String field) {
        return DatasetView.of(repository.findById(id).orElseThrow(() -> unknown(id, field)));
    }

    /**
     * The text of a dataset.
     *
     * @throws ApiException 404 naming {@code field} when there is no such dataset
     * @throws UncheckedIOException when its file cannot be read
     */
    public String text(UUID id, String field) {
        if (id == null) {
            throw ApiException.invalid(field, "is required");
        }
        if (!repository.existsById(id)) {
            throw unknown(id, field);
        }
        try {
            return Files.readString(fileOf(id), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + id, e);
        }
    }

    private static ApiException unknown(UUID id, String field) {
        return ApiException.notFound(field, "no dataset with id " + id);
    }

    /** {@code upload} without one leading UTF-8 byte-order mark (EF BB BF), if it has one. */
    private static byte[] withoutByteOrderMark(byte[] upload) {
        boolean marked = upload.length >= 3 && (upload[0] & 0xFF) == 0xEF
                && (upload[1] & 0xFF) == 0xBB && (upload[2] & 0xFF) == 0xBF;
        return marked ? Arrays.copyOfRange(upload, 3, upload.length) : upload;
    }

    private static String decode(byte[] content, String field) {
        if (content.length == 0) {
            throw ApiException.invalid(field, "is empty: upload a text corpus");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid(field, "is not valid UTF-8 text");
        }
    }

    private static DatasetEntity.Measures measure(byte[] content, String text) {
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        String alphabet = distinct.length <= MAX_SHOWN_ALPHABET
                ? new String(distinct, 0, distinct.length) : null;
        return new DatasetEntity.Measures(content.length, text.codePoints().count(),
                distinct.length, alphabet, sha256(content));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void write(UUID id, byte[] content) {
        Path target = fileOf(id);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".txt");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store dataset " + id, e);
        }
    }

    private Path fileOf(UUID id) {
        return Path.of(properties.getStorage().getDatasetDir()).resolve(id + ".txt");
    }
}
