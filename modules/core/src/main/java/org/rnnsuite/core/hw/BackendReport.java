package org.rnnsuite.core.hw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.core.RnnsuiteVersion;

/**
 * What the running process computes on: ND4J backend (decided by the classpath: {@code nd4j-native} or
 * {@code nd4j-cuda}), devices and their memory, BLAS vendor and version, thread counts, versions and the
 * environment knobs that change performance.
 */
public final class BackendReport {
    /** Environment variables and system properties that change how ND4J runs. */
    public static final List<String> KNOBS = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OMP_PROC_BIND",
            "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "CUDA_VISIBLE_DEVICES", "BACKEND_PRIORITY_CPU",
            "BACKEND_PRIORITY_GPU", "ND4J_SKIP_BLAS_THREADS", "RNNSUITE_XMX", "JAVA_OPTS");
    private static final List<String> PROPERTY_KNOBS = List.of("org.bytedeco.javacpp.maxbytes",
            "org.bytedeco.javacpp.maxphysicalbytes", "org.nd4j.linalg.defaultbackend", "org.bytedeco.openblas.load");

    private BackendReport() {
    }

    /** {@code cpu} or {@code cuda} (or the backend's class name if neither). */
    public static String backendName() {
        String cls = Nd4j.getBackend().getClass().getSimpleName();
        if (cls.startsWith("Cpu")) {
            return "cpu";
        }
        if (cls.contains("Cu")) {
            return "cuda";
        }
        return cls;
    }

    /** The report as ordered key/value pairs, for printing. */
    public static Map<String, String> collect() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("rnnsuite", RnnsuiteVersion.rnnsuite());
        r.put("deeplearning4j", RnnsuiteVersion.dl4j());
        r.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        r.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        r.put("backend", backendName() + " (" + Nd4j.getBackend().getClass().getName() + ")");
        r.put("data type", Nd4j.defaultFloatingPointType().toString());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Environment e = Nd4j.getEnvironment();
        r.put("blas", describeBlas(env, e));
        String lib = blasLibrary();
        if (lib != null) {
            r.put("blas library", lib);
        }
        r.put("omp threads", String.valueOf(env.getOrDefault("omp.threads", e.maxThreads())));
        r.put("nd4j max threads", e.maxThreads() + " (master threads " + e.maxMasterThreads() + ")");
        r.put("cpu cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        r.put("sequence products", org.rnnsuite.core.cells.RecurrentCellLayer.overlap()
                ? "on a second core (-Drnnsuite.cells.overlap=false: inline)" : "inline");
        r.put("java heap max", mib(Runtime.getRuntime().maxMemory()));
        Object phys = env.get("memory.available");
        if (phys != null) {
            r.put("off-heap limit", mib(Long.parseLong(phys.toString())));
        }
        List<String> devices = devices(env);
        for (int i = 0; i < devices.size(); i++) {
            r.put("device " + i, devices.get(i));
        }
        for (String k : KNOBS) {
            String v = System.getenv(k);
            r.put("env " + k, v == null ? "(unset)" : v);
        }
        for (String k : PROPERTY_KNOBS) {
            String v = System.getProperty(k);
            if (v != null) {
                r.put("-D" + k, v);
            }
        }
        return r;
    }

    /**
     * The OpenBLAS shared library this process loaded (Linux): ND4J's bundled copy, or the system's when the
     * launcher asked JavaCPP for it ({@code -Dorg.bytedeco.openblas.load=openblas}); null where unknown.
     */
    static String blasLibrary() {
        java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
        if (!java.nio.file.Files.isReadable(maps)) {
            return null;
        }
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(maps)) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.matches(".*/libopenblas[^/]*\\.so[.0-9]*"))
                    .map(p -> {
                        try {
                            return java.nio.file.Path.of(p).toRealPath().toString();
                        } catch (java.io.IOException ex) {
                            return p;
                        }
                    })
                    .distinct().sorted().findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException ex) {
            return null;
        }
    }

    private static String describeBlas(Properties env, Environment e) {
        String vendor;
        try {
            vendor = String.valueOf(Nd4j.factory().blas().getBlasVendor());
        } catch (RuntimeException ex) {
            vendor = String.valueOf(env.getOrDefault("blas.vendor", "unknown"));
        }
        if (e.blasMajorVersion() == 0 && e.blasMinorVersion() == 0) {
            return vendor;
        }
        return vendor + " " + e.blasMajorVersion() + "." + e.blasMinorVersion() + "." + e.blasPatchVersion();
    }

    @SuppressWarnings("unchecked")
    private static List<String> devices(Properties env) {
        List<String> out = new ArrayList<>();
        Object list = env.get("cuda.devicesInformation");
        if (list instanceof List<?> l && !l.isEmpty()) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m.get("cuda.deviceName") + ", memory " + mib(toLong(m.get("cuda.totalMemory")))
                            + " total, " + mib(toLong(m.get("cuda.freeMemory"))) + " free, compute "
                            + m.get("cuda.deviceMajor") + "." + m.get("cuda.deviceMinor"));
                } else {
                    out.add(String.valueOf(o));
                }
            }
        } else {
            out.add("CPU: " + Runtime.getRuntime().availableProcessors() + " cores, "
                    + mib(totalPhysicalMemory()) + " physical memory");
        }
        return out;
    }

    private static long toLong(Object o) {
        return o == null ? -1 : Long.parseLong(o.toString());
    }

    private static long totalPhysicalMemory() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%,d MiB", bytes >> 20);
    }
}
