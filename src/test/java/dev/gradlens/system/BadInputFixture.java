package dev.gradlens.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.Api;
import dev.gradlens.model.ModelRepository;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the bad-input suites share: a client on the started service, the limits (which some tests
 * lower for a moment), and the count of stored models, to show that a refused request created
 * nothing.
 */
abstract class BadInputFixture {

    @LocalServerPort
    int port;

    @Autowired
    ModelRepository modelRows;

    @Autowired
    GradlensProperties properties;

    Api api;
    long modelsBefore;

    @BeforeEach
    void setUpClientAndCount() {
        api = new Api(port);
        modelsBefore = modelRows.count();
    }

    void assertNothingCreated() {
        assertThat(modelRows.count()).isEqualTo(modelsBefore);
    }
}
