package dev.gradlens.training;

import java.util.Locale;

/** Where a background run is: waiting, training, or ended (and how). */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, INTERRUPTED;

    /** The lower-case name used in JSON, events and the database. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether the run has ended. */
    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
