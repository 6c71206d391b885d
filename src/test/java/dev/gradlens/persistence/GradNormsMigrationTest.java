package dev.gradlens.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import db.migration.V4__Step_grad_norms_in_one_column;
import dev.gradlens.training.GradNormsColumn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Migration V4 on a database that already holds steps: the rows of step_grad_norms become one
 * JSON column per step, readable by {@link GradNormsColumn}, non-finite norms included, and the
 * old table is gone. Runs on an in-memory H2 and, when {@code GRADLENS_TEST_POSTGRES_URL} is set,
 * in a fresh PostgreSQL schema.
 */
class GradNormsMigrationTest {

    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void shouldMoveNormsIntoOneColumnOnH2() throws SQLException {
        String url = "jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        checkMigration(url, "sa", "", null);
    }

    /**
     * H2 commits schema changes at once, so a process killed during V4 leaves it half done
     * and Flyway's history at version 3: the next start must complete it, not fail.
     */
    @Test
    void shouldCompleteOnH2AMigrationKilledAfterAddingTheColumn() throws SQLException {
        String url = "jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        checkMigration(url, "sa", "", null, sql -> {
            sql.execute("ALTER TABLE training_steps ADD COLUMN grad_norms VARCHAR");
            sql.execute("UPDATE training_steps SET grad_norms = '{\"stale\":1.0}' WHERE id = 1");
        });
    }

    @Test
    void shouldCompleteOnH2AMigrationKilledAfterDroppingTheOldTable() throws SQLException {
        String url = "jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        checkMigration(url, "sa", "", null, sql -> runMigrationUnrecorded(sql.getConnection()));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "GRADLENS_TEST_POSTGRES_URL", matches = ".+")
    void shouldMoveNormsIntoOneColumnOnPostgres() throws SQLException {
        String schema = "gradlens_migration_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 12);
        String base = System.getenv("GRADLENS_TEST_POSTGRES_URL");
        try {
            checkMigration(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    PostgresPersistenceTests.user(), PostgresPersistenceTests.password(), schema);
        } finally {
            try (Connection connection = DriverManager.getConnection(base,
                    PostgresPersistenceTests.user(), PostgresPersistenceTests.password());
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** What an interrupted attempt left behind, done to the database before the migration. */
    private interface Interruption {
        void apply(Statement sql) throws SQLException;
    }

    private void checkMigration(String url, String user, String password, String schema)
            throws SQLException {
        checkMigration(url, user, password, schema, sql -> { });
    }

    private void checkMigration(String url, String user, String password, String schema,
            Interruption interruption) throws SQLException {
        flyway(url, user, password, schema).target("3").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            insertOldRows(sql);
            interruption.apply(sql);
        }

        flyway(url, user, password, schema).load().migrate();

        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement sql = connection.createStatement()) {
            assertThat(normsOf(sql, 1)).containsOnly(Map.entry("a.weight", 0.5),
                    Map.entry("b.bias", Double.NaN), Map.entry("c.weight",
                            Double.POSITIVE_INFINITY));
            assertThat(normsOf(sql, 2)).containsOnly(Map.entry("a.weight", 0.25));
            assertThat(normsOf(sql, 3)).isEmpty();
            ResultSet tables = connection.getMetaData().getTables(null, null, "%", null);
            while (tables.next()) {
                assertThat(tables.getString("TABLE_NAME")).isNotEqualToIgnoringCase(
                        "step_grad_norms");
            }
        }
    }

    /** Every statement of V4, committed one by one as H2 does, but not recorded by Flyway. */
    private static void runMigrationUnrecorded(Connection connection) throws SQLException {
        Context context = new Context() {
            @Override
            public Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return connection;
            }
        };
        try {
            new V4__Step_grad_norms_in_one_column().migrate(context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url,
            String user, String password, String schema) {
        var configuration = Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration");
        return schema == null ? configuration
                : configuration.schemas(schema).createSchemas(true);
    }

    /** A model, its manual run, three steps: two with norms (one not finite), one without. */
    private static void insertOldRows(Statement sql) throws SQLException {
        sql.execute("INSERT INTO models (id, name, created_at, parameter_count, vocab_size, "
                + "d_model, n_heads, n_layers, d_ff, max_seq_len, causal, norm_placement, "
                + "activation, seed, data_type, optimizer_type, learning_rate, momentum, beta1, "
                + "beta2, epsilon, weight_decay, grad_clip, lr_schedule, warmup_steps, "
                + "decay_steps, min_learning_rate, tokenizer_type) VALUES ('" + MODEL
                + "', 'm', CURRENT_TIMESTAMP, 10, 4, 8, 2, 1, 32, 16, TRUE, 'PRE', 'GELU', 1, "
                + "'FLOAT', 'ADAMW', 0.001, 0, 0.9, 0.999, 1e-8, 0.01, 1, 'CONSTANT', 0, 0, 0, "
                + "'BYTE')");
        sql.execute("INSERT INTO training_runs (id, model_id, kind, created_at) VALUES (1, '"
                + MODEL + "', 'manual', CURRENT_TIMESTAMP)");
        for (int step = 1; step <= 3; step++) {
            sql.execute("INSERT INTO training_steps (id, run_id, model_id, step_number, "
                    + "optimizer_step, loss, grad_norm, learning_rate, tokens, duration_ms, "
                    + "applied, finite, created_at) VALUES (" + step + ", 1, '" + MODEL + "', "
                    + step + ", " + step + ", 1.5, 0.5, 0.001, 8, 3, TRUE, TRUE, "
                    + "CURRENT_TIMESTAMP)");
        }
        sql.execute("INSERT INTO step_grad_norms VALUES (1, 'a.weight', 0.5)");
        sql.execute("INSERT INTO step_grad_norms VALUES (1, 'b.bias', 'NaN')");
        sql.execute("INSERT INTO step_grad_norms VALUES (1, 'c.weight', 'Infinity')");
        sql.execute("INSERT INTO step_grad_norms VALUES (2, 'a.weight', 0.25)");
    }

    private static Map<String, Double> normsOf(Statement sql, long stepId) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT grad_norms FROM training_steps WHERE id = "
                + stepId)) {
            assertThat(row.next()).isTrue();
            return new GradNormsColumn().convertToEntityAttribute(row.getString(1));
        }
    }
}
