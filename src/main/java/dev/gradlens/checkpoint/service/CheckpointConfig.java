package dev.gradlens.checkpoint.service;

import dev.gradlens.checkpoint.CheckpointStore;
import dev.gradlens.system.GradlensProperties;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The checkpoint store in {@code gradlens.storage.checkpoint-dir}. */
@Configuration(proxyBeanMethods = false)
class CheckpointConfig {

    @Bean
    CheckpointStore checkpointStore(GradlensProperties properties) {
        GradlensProperties.Storage storage = properties.getStorage();
        return new CheckpointStore(Path.of(storage.getCheckpointDir()),
                storage.getCheckpointsKept());
    }
}
