package dev.gradlens.bench;

import java.io.OutputStream;
import java.io.PrintStream;

/** Runs code with System.out discarded (SameDiff prints a line per op it differentiates). */
final class Quiet {

    private Quiet() {
    }

    static void run(Runnable action) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
    }
}
