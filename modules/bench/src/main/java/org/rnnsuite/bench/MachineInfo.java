package org.rnnsuite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The machine and this process's memory, read from {@code /proc} (Linux); unknown values read as such. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** {@code AMD EPYC ..., 2 cores, 24 GiB}. */
    public static String describe() {
        String cpu = procLine(Path.of("/proc/cpuinfo"), "model name");
        long memKib = procKib(Path.of("/proc/meminfo"), "MemTotal");
        return (cpu == null ? "unknown CPU" : cpu) + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (memKib > 0 ? String.format(Locale.ROOT, "%.0f GiB", memKib / 1048576.0) : "unknown memory");
    }

    /** Peak resident memory of this process so far, MiB ({@code VmHWM}); NaN where unknown. */
    public static double peakResidentMib() {
        long k = procKib(Path.of("/proc/self/status"), "VmHWM");
        return k < 0 ? Double.NaN : k / 1024.0;
    }

    /** Resident memory of this process now, MiB ({@code VmRSS}); NaN where unknown. */
    public static double residentMib() {
        long k = procKib(Path.of("/proc/self/status"), "VmRSS");
        return k < 0 ? Double.NaN : k / 1024.0;
    }

    /** The value of a {@code key: value} line, or null. */
    static String procLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                    return l.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A {@code key: 1234 kB} value in KiB, or -1. */
    static long procKib(Path file, String key) {
        String v = procLine(file, key);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
