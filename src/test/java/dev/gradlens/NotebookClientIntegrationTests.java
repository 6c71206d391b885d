package dev.gradlens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Runs examples/notebook_client.py against the started service, as a notebook user would.
 * Skipped where python3 with requests and numpy is missing.
 */
@IntegrationTest
class NotebookClientIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void shouldRunTheNotebookExampleToTheEnd() throws Exception {
        assumeTrue(python("import requests, numpy").exitValue() == 0,
                "python3 with requests and numpy is not installed");
        ProcessBuilder builder = new ProcessBuilder("python3", "examples/notebook_client.py")
                .redirectErrorStream(true);
        builder.environment().put("GRADLENS_URL", "http://localhost:" + port);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("step  15", "attention, layer 1 head 0").endsWith("ok\n");
    }

    private static Process python(String code) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed");
            throw e;
        }
        process.waitFor(60, TimeUnit.SECONDS);
        return process;
    }
}
