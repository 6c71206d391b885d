package dev.gradlens.persistence;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

/** The persistence contract on the embedded H2 database (Flyway schema, ddl-auto=validate). */
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=validate")
class H2PersistenceTests extends PersistenceContract {
}
