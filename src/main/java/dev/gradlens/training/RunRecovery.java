package dev.gradlens.training;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * At startup, marks the runs a previous process left queued or running (it stopped without
 * ending them, for example when it was killed) as interrupted.
 */
@Component
@Order(0)
class RunRecovery implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

    private final RunStore store;

    RunRecovery(RunStore store) {
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) {
        int interrupted = store.interruptLeftovers();
        if (interrupted > 0) {
            log.warn("{} runs were still queued or running when the service last stopped: "
                    + "marked interrupted", interrupted);
        }
    }
}
