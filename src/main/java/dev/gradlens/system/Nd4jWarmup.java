package dev.gradlens.system;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.Trainer;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Loads ND4J's native backend and runs one training step of a tiny model while the application
 * starts, before the web server accepts requests. The first real request then pays neither the
 * seconds that loading (and, on a cold cache, extracting) native code takes, nor the first calls
 * of every kernel a step uses.
 */
@Component
class Nd4jWarmup implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(Nd4jWarmup.class);

    @Override
    public void afterPropertiesSet() {
        long start = System.nanoTime();

        // one step of a 1-layer model touches every op of forward, backward and AdamW
        Transformer model = new Transformer(TransformerConfig.of(8, 8, 2, 1, 8));
        Trainer trainer = new Trainer(model, OptimizerConfig.adamW(1e-3));
        double loss = trainer.step(List.of(Batch.nextTokenOf(List.of(new int[] {1, 2, 3, 4}))),
                true).loss();

        long ms = (System.nanoTime() - start) / 1_000_000;
        log.info("ND4J ready in {} ms: backend {}, {} OpenMP threads, JavaCPP cache {} (check {})",
                ms, Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.getEnvironment().maxMasterThreads(),
                System.getProperty(JavaCppCacheDir.SYSTEM_PROPERTY, "default"),
                Double.isFinite(loss));
    }
}
