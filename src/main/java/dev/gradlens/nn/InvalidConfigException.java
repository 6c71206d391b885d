package dev.gradlens.nn;

/**
 * Thrown when a model or optimizer configuration is invalid. Names the offending field so that
 * callers (the REST layer) can report it precisely.
 */
public class InvalidConfigException extends IllegalArgumentException {

    private final String field;

    public InvalidConfigException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The configuration field at fault, e.g. {@code "nHeads"}. */
    public String field() {
        return field;
    }
}
