package dev.gradlens.system;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Loads ND4J's native backend at start-up with a tiny matrix product, so the first request does
 * not pay the seconds that loading (and, on a cold cache, extracting) native code takes.
 */
@Component
class Nd4jWarmup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Nd4jWarmup.class);

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        INDArray a = Nd4j.rand(16, 16);
        double checksum = a.mmul(a).sumNumber().doubleValue();
        long ms = (System.nanoTime() - start) / 1_000_000;
        log.info("ND4J ready in {} ms: backend {}, {} OpenMP threads, JavaCPP cache {} (check {})",
                ms, Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.getEnvironment().maxMasterThreads(),
                System.getProperty(JavaCppCacheDir.SYSTEM_PROPERTY, "default"),
                Double.isFinite(checksum));
    }
}
