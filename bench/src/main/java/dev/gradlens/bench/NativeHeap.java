package dev.gradlens.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where resident memory outside the Java heap sits: glibc's malloc heap (ND4J's tensors and its
 * small per-op allocations, and the JVM's own mallocs), split into bytes in use and bytes freed but
 * kept, and the JVM's non-heap pools (JIT code cache, metaspace).
 */
final class NativeHeap {

    private NativeHeap() {
    }

    /** glibc's mallinfo2 (glibc 2.33 and later): every field is a size_t. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena; // bytes obtained with sbrk, main arena only
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd; // bytes in mmap'd chunks
        public long usmblks;
        public long fsmblks;
        public long uordblks; // bytes allocated and in use
        public long fordblks; // bytes free in the arenas
        public long keepcost;
    }

    interface C extends Library {
        MallInfo2 mallinfo2();
    }

    private static final C LIBC = load();

    private static C load() {
        try {
            return Native.load("c", C.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Malloc in use / free-but-kept / mmap'd, and JVM non-heap committed, in MiB. */
    static Map<String, Double> snapshot() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (LIBC != null) {
            try {
                MallInfo2 info = LIBC.mallinfo2();
                m.put("mallocInUseMiB", (info.uordblks + info.hblkhd) / MIB);
                m.put("mallocFreeKeptMiB", info.fordblks / MIB);
            } catch (UnsatisfiedLinkError e) {
                // an older glibc without mallinfo2: leave the fields out
            }
        }
        double nonHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP) {
                nonHeap += pool.getUsage().getCommitted();
            }
        }
        m.put("jvmNonHeapCommittedMiB", nonHeap / MIB);
        return m;
    }

    private static final double MIB = 1024.0 * 1024.0;
}
