package dev.gradlens.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The persistence contract on a running PostgreSQL given by {@code GRADLENS_TEST_POSTGRES_URL}
 * (user {@code GRADLENS_TEST_POSTGRES_USER}, default postgres; password
 * {@code GRADLENS_TEST_POSTGRES_PASSWORD}, default empty). Each run works in a fresh schema,
 * created by Flyway and dropped afterwards, so runs never clash.
 */
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=validate")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@EnabledIfEnvironmentVariable(named = "GRADLENS_TEST_POSTGRES_URL", matches = ".+")
class PostgresPersistenceTests extends PersistenceContract {

    static final String SCHEMA = "gradlens_test_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static String url() {
        String base = System.getenv("GRADLENS_TEST_POSTGRES_URL");
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
    }

    static String user() {
        String user = System.getenv("GRADLENS_TEST_POSTGRES_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    static String password() {
        String password = System.getenv("GRADLENS_TEST_POSTGRES_PASSWORD");
        return password == null ? "" : password;
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresPersistenceTests::url);
        registry.add("spring.datasource.username", PostgresPersistenceTests::user);
        registry.add("spring.datasource.password", PostgresPersistenceTests::password);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                System.getenv("GRADLENS_TEST_POSTGRES_URL"), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }
}
