package dev.gradlens.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr, with the time and the process role. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String role;

    Log(String role) {
        this.role = role;
    }

    void info(String format, Object... args) {
        System.err.println(LocalTime.now().format(TIME) + " [" + role + "] "
                + String.format(format, args));
    }
}
