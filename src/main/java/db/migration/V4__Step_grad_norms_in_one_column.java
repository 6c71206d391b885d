package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves each step's gradient norms from the rows of {@code step_grad_norms} into one JSON
 * column, {@code training_steps.grad_norms}, then drops the old table. Written in Java because
 * H2 and PostgreSQL aggregate rows into JSON with different SQL. The format is the one
 * {@code dev.gradlens.training.GradNormsColumn} reads; it is spelled out here so that this
 * migration does not change when that class does.
 *
 * <p>The old rows kept no order: a migrated step lists its norms in the order the database
 * returns them, not necessarily parameter order.
 *
 * <p>On PostgreSQL the whole migration is one transaction. H2 commits each schema change at once,
 * so a process killed halfway leaves some of it done; every statement here may therefore run
 * again (the column is added only if missing, the norms are copied again from the old table while
 * it exists), and the next start completes the migration.
 */
public class V4__Step_grad_norms_in_one_column extends BaseJavaMigration {

    private static final int BATCH = 500;

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE training_steps ADD COLUMN IF NOT EXISTS grad_norms "
                    + "VARCHAR");
        }

        if (oldTableExists(connection)) {
            copyNorms(connection);
        }

        try (Statement statement = connection.createStatement()) {
            statement.execute("UPDATE training_steps SET grad_norms = '{}' "
                    + "WHERE grad_norms IS NULL");
            statement.execute("ALTER TABLE training_steps ALTER COLUMN grad_norms SET NOT NULL");
            statement.execute("DROP TABLE IF EXISTS step_grad_norms");
        }
    }

    /** False only when an interrupted earlier attempt got as far as dropping it (H2). */
    private static boolean oldTableExists(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM "
                        + "information_schema.tables WHERE LOWER(table_name) = 'step_grad_norms' "
                        + "AND table_schema = CURRENT_SCHEMA")) {
            tables.next();
            return tables.getLong(1) > 0;
        }
    }

    /** One UPDATE per step that has norms, read in step order and sent in batches. */
    private void copyNorms(Connection connection) throws Exception {
        try (Statement read = connection.createStatement();
                PreparedStatement write = connection.prepareStatement(
                        "UPDATE training_steps SET grad_norms = ? WHERE id = ?")) {
            read.setFetchSize(BATCH * 100);
            ResultSet rows = read.executeQuery("SELECT step_id, parameter_name, grad_norm "
                    + "FROM step_grad_norms ORDER BY step_id");
            Map<String, Double> norms = new LinkedHashMap<>();
            long step = -1;
            int pending = 0;
            while (rows.next()) {
                long id = rows.getLong(1);
                if (id != step && !norms.isEmpty()) {
                    pending = add(write, step, norms, pending);
                    norms.clear();
                }
                step = id;
                norms.put(rows.getString(2), rows.getDouble(3));
            }
            if (!norms.isEmpty()) {
                pending = add(write, step, norms, pending);
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
    }

    private int add(PreparedStatement write, long step, Map<String, Double> norms, int pending)
            throws Exception {
        write.setString(1, json.writeValueAsString(norms));
        write.setLong(2, step);
        write.addBatch();
        if (pending + 1 < BATCH) {
            return pending + 1;
        }
        write.executeBatch();
        return 0;
    }
}
