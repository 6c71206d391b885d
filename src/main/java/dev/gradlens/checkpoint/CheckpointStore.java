package dev.gradlens.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints in a directory: {@code <root>/<modelId>/step-000000123.safetensors}, one file per
 * saved step, in the format of {@link CheckpointCodec}.
 *
 * <p>Saving is atomic: the file is written under a temporary name in the same directory, forced
 * to disk, moved over its final name with an atomic move, and the directory is forced too. A crash
 * at any point leaves the earlier checkpoints whole; a leftover temporary file is ignored by
 * loading and removed by the next save of that model. After a save the newest {@code keep} files
 * up to the saved step stay and older ones are deleted.
 *
 * <p>{@link #loadLatest} reads the files newest first and returns the first one that passes every
 * check (format, sizes, SHA-256 of the data); each file it skips is reported in the result and
 * logged at WARN. Skipped files stay on disk (for inspection) until a later save of the same
 * step replaces them; files of steps above the latest save are never pruned.
 *
 * <p>Calls for one model are serialised within this store object; two stores (or processes)
 * writing the same directory are not coordinated.
 */
public final class CheckpointStore {

    /** Number of checkpoint files kept per model unless configured otherwise. */
    public static final int DEFAULT_KEEP = 3;

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern FILE = Pattern.compile("step-(\\d{9,19})\\.safetensors");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final int keep;
    private final Clock clock;
    private final UnaryOperator<WritableByteChannel> channelWrapper;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    /** A store keeping {@value #DEFAULT_KEEP} checkpoints per model under {@code root}. */
    public CheckpointStore(Path root) {
        this(root, DEFAULT_KEEP);
    }

    /**
     * @param keep checkpoint files kept per model, at least 1
     * @throws IllegalArgumentException when keep is below 1
     */
    public CheckpointStore(Path root, int keep) {
        this(root, keep, Clock.systemUTC(), UnaryOperator.identity());
    }

    /** For tests: a clock for created times, and a wrapper around each file being written. */
    CheckpointStore(Path root, int keep, Clock clock,
            UnaryOperator<WritableByteChannel> channelWrapper) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.root = root;
        this.keep = keep;
        this.clock = clock;
        this.channelWrapper = channelWrapper;
    }

    /** The directory holding one sub-directory per model. */
    public Path root() {
        return root;
    }

    /**
     * Saves a checkpoint as the file of its step (replacing one of the same step), atomically,
     * then deletes the oldest files beyond {@code keep}.
     *
     * @return the file written
     * @throws IOException when writing fails; earlier checkpoints are then unchanged
     * @throws IllegalArgumentException when the model id is not 1-128 characters of letters,
     *     digits, '.', '_' and '-' starting with a letter or digit
     */
    public Path save(String modelId, Checkpoint checkpoint) throws IOException {
        Path dir = modelDirectory(modelId);
        CheckpointCodec.Encoded encoded = CheckpointCodec.encode(checkpoint, clock.instant());
        synchronized (lock(modelId)) {
            boolean created = !Files.isDirectory(dir);
            Files.createDirectories(dir);
            deleteTemporaryFiles(dir);

            Path target = dir.resolve(fileName(checkpoint.step()));
            Path temp = Files.createTempFile(dir, TEMP_PREFIX, ".safetensors");
            try {
                writeForced(temp, encoded);
                moveAtomically(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }

            forceDirectory(dir);
            if (created) {
                forceDirectory(root);
            }
            prune(modelId, checkpoint.step());
            return target;
        }
    }

    /**
     * The newest readable checkpoint of a model. Files that cannot be read or fail a check are
     * skipped, reported in the result and logged at WARN.
     *
     * @return the checkpoint (empty when the model has none that is readable) and the problems
     * @throws IOException when the model's directory cannot be listed
     * @throws IllegalArgumentException when the model id is malformed (see {@link #save})
     */
    public LoadResult loadLatest(String modelId) throws IOException {
        List<CheckpointProblem> problems = new ArrayList<>();
        synchronized (lock(modelId)) {
            for (CheckpointInfo info : list(modelId)) {
                try {
                    return new LoadResult(Optional.of(load(info.file())), problems);
                } catch (IOException e) {
                    String reason = reasonOf(e);
                    problems.add(new CheckpointProblem(info.file(), reason));
                    log.warn("Skipping checkpoint {} of model {}: {}", info.file(), modelId,
                            reason);
                }
            }
        }
        return new LoadResult(Optional.empty(), problems);
    }

    /**
     * Reads and checks one checkpoint file.
     *
     * @throws CorruptCheckpointException when the file breaks the format or its checksum differs
     * @throws IOException when the file cannot be read
     */
    public StoredCheckpoint load(Path file) throws IOException {
        return CheckpointCodec.decode(SafetensorsReader.read(file), file);
    }

    /**
     * The checkpoint files of a model, newest step first, from their names (not read).
     *
     * @return an empty list when the model has no directory
     * @throws IOException when the directory cannot be listed
     * @throws IllegalArgumentException when the model id is malformed (see {@link #save})
     */
    public List<CheckpointInfo> list(String modelId) throws IOException {
        Path dir = modelDirectory(modelId);
        List<CheckpointInfo> infos = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return infos;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher name = FILE.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file)) {
                    infos.add(new CheckpointInfo(Long.parseLong(name.group(1)), file,
                            Files.size(file), Files.getLastModifiedTime(file).toInstant()));
                }
            }
        }
        infos.sort(Comparator.comparingLong(CheckpointInfo::step).reversed());
        return infos;
    }

    /**
     * The ids of the models that have a directory in this store, sorted.
     *
     * @throws IOException when the root cannot be listed
     */
    public List<String> modelIds() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .filter(name -> MODEL_ID.matcher(name).matches())
                    .sorted().toList();
        }
    }

    /**
     * Deletes every checkpoint of a model and its directory.
     *
     * @return whether the model had a directory
     * @throws IOException when a file cannot be deleted
     * @throws IllegalArgumentException when the model id is malformed (see {@link #save})
     */
    public boolean delete(String modelId) throws IOException {
        Path dir = modelDirectory(modelId);
        synchronized (lock(modelId)) {
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
            return true;
        }
    }

    /** {@code step-000000123.safetensors}: nine digits at least, so names sort by step. */
    static String fileName(long step) {
        return String.format("step-%09d.safetensors", step);
    }

    private void writeForced(Path temp, CheckpointCodec.Encoded encoded) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            encoded.writer().writeTo(channelWrapper.apply(channel), encoded.metadata());
            channel.force(true);
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot replace files "
                    + "atomically, so checkpoints cannot be saved safely there", e);
        }
    }

    /** Forces a directory's entries to disk; some platforms cannot, which is logged only. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("Cannot force directory {} to disk: {}", dir, e.toString());
        }
    }

    private static void deleteTemporaryFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path temp : temps) {
                log.info("Deleting unfinished checkpoint file {}", temp);
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Keeps the saved file and the newest keep − 1 files below it; later steps are left. */
    private void prune(String modelId, long savedStep) throws IOException {
        List<CheckpointInfo> older = list(modelId).stream()
                .filter(info -> info.step() < savedStep).toList();
        for (CheckpointInfo info : older.subList(Math.min(keep - 1, older.size()),
                older.size())) {
            Files.deleteIfExists(info.file());
        }
    }

    private Path modelDirectory(String modelId) {
        if (modelId == null || !MODEL_ID.matcher(modelId).matches()) {
            throw new IllegalArgumentException("modelId must be 1-128 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit, was " + modelId);
        }
        return root.resolve(modelId);
    }

    private Object lock(String modelId) {
        return locks.computeIfAbsent(modelId, id -> new Object());
    }

    private static String reasonOf(IOException e) {
        if (e instanceof CorruptCheckpointException corrupt) {
            return corrupt.reason();
        }
        if (e instanceof NoSuchFileException) {
            return "file disappeared while loading";
        }
        return "cannot read: " + e;
    }
}
