package dev.gradlens.system;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Points JavaCPP's cache of extracted native libraries at a configured directory.
 *
 * <p>JavaCPP reads the system property {@value #SYSTEM_PROPERTY} once, when ND4J first loads, so
 * this runs before any bean exists: from {@code main()} for the environment variable
 * {@value #ENV_VARIABLE}, and as an environment post-processor for the property
 * {@value #PROPERTY} (application.properties, command line, or the variable
 * {@code GRADLENS_JAVACPPCACHEDIR}). A system property set by hand ({@code -D}) wins.
 */
public class JavaCppCacheDir implements EnvironmentPostProcessor {

    public static final String SYSTEM_PROPERTY = "org.bytedeco.javacpp.cachedir";
    public static final String ENV_VARIABLE = "GRADLENS_JAVACPP_CACHE";
    public static final String PROPERTY = "gradlens.javacpp-cache-dir";

    /** Applies {@value #ENV_VARIABLE} when set and no system property was given. */
    public static void applyFromEnvironment(Map<String, String> env) {
        apply(env.get(ENV_VARIABLE));
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment,
            SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        apply(configured != null ? configured : environment.getProperty(ENV_VARIABLE));
    }

    private static void apply(String directory) {
        if (directory != null && !directory.isBlank()
                && System.getProperty(SYSTEM_PROPERTY) == null) {
            System.setProperty(SYSTEM_PROPERTY, directory);
        }
    }
}
