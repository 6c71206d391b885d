package dev.gradlens.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/** Memory of this process: resident set from /proc/self/status, heap from the JVM. */
final class Memory {

    private Memory() {
    }

    /** A field of /proc/self/status in MiB, e.g. "VmRSS" or "VmHWM"; NaN when unreadable. */
    static double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String kib = line.substring(field.length() + 1).trim().split("\\s+")[0];
                    return Long.parseLong(kib) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Sum of the peak usage of every heap pool since start (or the last reset), MiB. */
    static double peakHeap() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Resident, peak resident, peak heap and JavaCPP-tracked off-heap bytes, in MiB. */
    static Map<String, Double> snapshot() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rssMiB", status("VmRSS"));
        m.put("peakRssMiB", status("VmHWM"));
        m.put("peakHeapMiB", peakHeap());
        m.put("offHeapTrackedMiB", Pointer.totalBytes() / (1024.0 * 1024.0));
        return m;
    }
}
