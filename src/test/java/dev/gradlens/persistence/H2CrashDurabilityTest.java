package dev.gradlens.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit on the default H2 database survives the process being killed right after it: a
 * child JVM opens the database with the URL options of application.properties, commits rows one
 * by one and halts without closing anything, as {@code kill -9} would stop the service. (With
 * H2's default write delay the table came back empty.)
 */
class H2CrashDurabilityTest {

    private static final int ROWS = 40;

    @Test
    void everyCommittedRowSurvivesAHaltedProcess(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + defaultOptions();
        execute(url, "CREATE TABLE committed (id INT PRIMARY KEY)");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                CommitThenHalt.class.getName(), url, String.valueOf(ROWS))
                .inheritIO().start();

        assertThat(child.waitFor()).isEqualTo(CommitThenHalt.HALTED);
        assertThat(countRows(url)).isEqualTo(ROWS);
    }

    /** The options after the path of the default URL, e.g. ";DB_CLOSE_ON_EXIT=FALSE;...". */
    private static String defaultOptions() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = H2CrashDurabilityTest.class
                .getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String url = properties.getProperty("spring.datasource.url");
        return url.substring(url.indexOf(';'));
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int countRows(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM committed")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Child process: commits n rows, one transaction each, then halts the JVM at once. */
    public static final class CommitThenHalt {

        static final int HALTED = 3;

        public static void main(String[] args) throws Exception {
            Connection connection = DriverManager.getConnection(args[0], "sa", "");
            Statement statement = connection.createStatement();
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                statement.execute("INSERT INTO committed VALUES (" + i + ")");
            }
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
