package dev.gradlens;

import dev.gradlens.system.JavaCppCacheDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the gradlens REST service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GradlensApplication {

    public static void main(String[] args) {
        // before anything touches ND4J: JavaCPP reads its cache directory once, when it loads
        JavaCppCacheDir.applyFromEnvironment(System.getenv());
        SpringApplication.run(GradlensApplication.class, args);
    }
}
