package dev.gradlens.checkpoint;

import static dev.gradlens.checkpoint.CheckpointFixtures.checkpoint;
import static dev.gradlens.checkpoint.SafetensorsRoundTripTest.assertBitIdentical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.LoggerFactory;

/** Saving, listing, pruning, loading and the fallback past damaged or unfinished files. */
class CheckpointStoreTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final String MODEL = "model-1";

    @TempDir
    Path root;

    private CheckpointStore store;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() {
        store = storeWith(UnaryOperator.identity());
        logged.start();
        storeLogger().addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        storeLogger().detachAppender(logged);
    }

    private CheckpointStore storeWith(UnaryOperator<WritableByteChannel> wrapper) {
        return new CheckpointStore(root, 3, Clock.fixed(NOW, ZoneOffset.UTC), wrapper);
    }

    private static Logger storeLogger() {
        return (Logger) LoggerFactory.getLogger(CheckpointStore.class);
    }

    @Test
    void savedCheckpointLoadsBackBitExactWithItsMetadata() throws IOException {
        Checkpoint saved = checkpoint(123);

        Path file = store.save(MODEL, saved);
        StoredCheckpoint loaded = store.loadLatest(MODEL).latest().orElseThrow();

        assertThat(file).isEqualTo(root.resolve(MODEL).resolve("step-000000123.safetensors"));
        assertThat(loaded.file()).isEqualTo(file);
        assertThat(loaded.createdAt()).isEqualTo(NOW);
        Checkpoint back = loaded.checkpoint();
        assertThat(back.step()).isEqualTo(123);
        assertThat(back.config()).isEqualTo(saved.config());
        assertThat(back.optimizerConfig()).isEqualTo(saved.optimizerConfig());
        assertThat(back.tokenizer()).isEqualTo(saved.tokenizer());
        assertSameTensors(back.weights(), saved.weights());
        assertSameTensors(back.optimizerState(), saved.optimizerState());
    }

    @Test
    void fileHoldsWeightsUnderPublicNamesAndReadableMetadata() throws IOException {
        Path file = store.save(MODEL, checkpoint(7));

        SafetensorsFile raw = SafetensorsReader.read(file);

        assertThat(raw.tensorInfos().keySet()).containsExactly("token_embedding.weight",
                "lm_head.bias", "adam.m.token_embedding.weight", "adam.m.lm_head.bias",
                "adam.v.token_embedding.weight", "adam.v.lm_head.bias");
        assertThat(raw.metadata()).containsEntry("format", "gradlens.checkpoint")
                .containsEntry("format_version", "1").containsEntry("step", "7")
                .containsEntry("tokenizer_kind", "char")
                .containsEntry("tokenizer_alphabet", "\nab€")
                .containsEntry("created_at", "2026-01-02T03:04:05Z")
                .containsEntry("data_sha256", raw.dataSha256());
        assertThat(raw.metadata().get("transformer_config"))
                .contains("\"vocabSize\":4", "\"dModel\":8", "\"dataType\":\"FLOAT\"");
        assertThat(raw.metadata().get("optimizer_tensors")).startsWith("[\"adam.m.");
    }

    @Test
    void keepsTheNewestThreeAndListsThemNewestFirst() throws IOException {
        for (long step : new long[] {5, 10, 15, 20, 1_000_000_000L}) {
            store.save(MODEL, checkpoint(step));
        }

        List<CheckpointInfo> files = store.list(MODEL);

        assertThat(files).extracting(CheckpointInfo::step)
                .containsExactly(1_000_000_000L, 20L, 15L);
        assertThat(files.get(0).file().getFileName().toString())
                .isEqualTo("step-1000000000.safetensors");
        assertThat(files.get(1).sizeBytes()).isEqualTo(Files.size(files.get(1).file()));
    }

    @Test
    void truncatedNewestFileIsReportedAndThePreviousIsLoaded() throws IOException {
        store.save(MODEL, checkpoint(10));
        Path newest = store.save(MODEL, checkpoint(20));
        byte[] whole = Files.readAllBytes(newest);

        for (int cut : new int[] {whole.length / 2, whole.length - 10}) {
            Files.write(newest, Arrays.copyOf(whole, cut));
            LoadResult result = store.loadLatest(MODEL);

            assertThat(result.latest().orElseThrow().checkpoint().step()).isEqualTo(10);
            assertThat(result.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.file()).isEqualTo(newest);
                assertThat(problem.reason()).contains("truncated");
            });
        }
        assertWarned(newest, "header length");
        assertWarned(newest, "but the data section has only");
    }

    @Test
    void flippedDataByteInNewestFileFailsTheChecksumAndThePreviousIsLoaded()
            throws IOException {
        store.save(MODEL, checkpoint(10));
        Path newest = store.save(MODEL, checkpoint(20));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 20] ^= 0x01;
        Files.write(newest, bytes);

        LoadResult result = store.loadLatest(MODEL);

        assertThat(result.latest().orElseThrow().checkpoint().step()).isEqualTo(10);
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(newest);
            assertThat(problem.reason()).startsWith("data checksum mismatch: the header records");
        });
        assertWarned(newest, "data checksum mismatch");
    }

    @Test
    void everyFileDamagedGivesNothingAndOneProblemPerFileNewestFirst() throws IOException {
        Path older = store.save(MODEL, checkpoint(1));
        Path newer = store.save(MODEL, checkpoint(2));
        Files.write(older, new byte[] {1, 2, 3});
        Files.write(newer, new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, '{', '}'});

        LoadResult result = store.loadLatest(MODEL);

        assertThat(result.latest()).isEmpty();
        assertThat(result.problems()).extracting(CheckpointProblem::file)
                .containsExactly(newer, older);
        assertThat(result.problems().get(0).reason()).contains("header length 255");
        assertThat(result.problems().get(1).reason()).contains("too short");
    }

    @Test
    void crashHalfwayThroughAWriteLeavesThePreviousCheckpointWhole() throws IOException {
        Path previous = store.save(MODEL, checkpoint(10));
        byte[] before = Files.readAllBytes(previous);
        CheckpointStore crashing = storeWith(failAfter(before.length / 2));

        assertThatThrownBy(() -> crashing.save(MODEL, checkpoint(20)))
                .isInstanceOf(IOException.class).hasMessageContaining("simulated crash");

        assertThat(Files.readAllBytes(previous)).isEqualTo(before);
        assertThat(filesIn(root.resolve(MODEL))).containsExactly("step-000000010.safetensors");
        LoadResult result = store.loadLatest(MODEL);
        assertThat(result.latest().orElseThrow().checkpoint().step()).isEqualTo(10);
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void leftoverTemporaryFileIsIgnoredAndRemovedByTheNextSave() throws IOException {
        store.save(MODEL, checkpoint(10));
        Path leftover = root.resolve(MODEL).resolve(".tmp-123456.safetensors");
        Files.write(leftover, new byte[] {1, 2, 3, 4});

        assertThat(store.loadLatest(MODEL).problems()).isEmpty();
        assertThat(store.list(MODEL)).hasSize(1);

        store.save(MODEL, checkpoint(20));
        assertThat(filesIn(root.resolve(MODEL))).containsExactly(
                "step-000000010.safetensors", "step-000000020.safetensors");
    }

    @Test
    void savingTheSameStepAgainReplacesTheFile() throws IOException {
        store.save(MODEL, checkpoint(10));
        Checkpoint second = checkpoint(11);
        Checkpoint again = new Checkpoint(second.config(), second.optimizerConfig(),
                second.tokenizer(), 10, second.weights(), second.optimizerState());

        store.save(MODEL, again);

        assertThat(store.list(MODEL)).hasSize(1);
        assertSameTensors(store.loadLatest(MODEL).latest().orElseThrow().checkpoint().weights(),
                second.weights());
    }

    @Test
    void modelsAreListedAndDeleted() throws IOException {
        store.save("b", checkpoint(1));
        store.save("a.2", checkpoint(1));

        assertThat(store.modelIds()).containsExactly("a.2", "b");
        assertThat(store.delete("b")).isTrue();
        assertThat(store.delete("b")).isFalse();
        assertThat(store.modelIds()).containsExactly("a.2");
        assertThat(store.loadLatest("b").latest()).isEmpty();
        assertThat(store.list("never-saved")).isEmpty();
    }

    @Test
    void rejectsModelIdsThatCouldLeaveTheRoot() {
        for (String bad : new String[] {"../x", "a/b", "", ".hidden", "x".repeat(129)}) {
            assertThatThrownBy(() -> store.save(bad, checkpoint(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelId");
        }
        assertThatThrownBy(() -> new CheckpointStore(root, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep");
    }

    private void assertWarned(Path file, String reason) {
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(file.toString(), reason);
        });
    }

    static void assertSameTensors(Map<String, INDArray> actual, Map<String, INDArray> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, array) -> assertBitIdentical(actual.get(name), array));
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** A channel wrapper that writes {@code limit} bytes, then fails like a crash would. */
    private static UnaryOperator<WritableByteChannel> failAfter(long limit) {
        return channel -> new WritableByteChannel() {
            private long written;

            @Override
            public int write(ByteBuffer source) throws IOException {
                if (written >= limit) {
                    throw new IOException("simulated crash after " + written + " bytes");
                }
                ByteBuffer part = source.duplicate();
                part.limit(part.position() + (int) Math.min(part.remaining(), limit - written));
                int count = channel.write(part);
                source.position(source.position() + count);
                written += count;
                return count;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
