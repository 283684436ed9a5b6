package org.rnnsuite.core.hw;

import org.nd4j.linalg.factory.Nd4j;

/**
 * In-process thread settings for small recurrent nets. Per-op overhead dominates those on few cores: waking OpenMP
 * threads for tiny element-wise ops costs more than it saves, so unless the user chose otherwise we keep ND4J's
 * element-wise and TAD ops on the calling thread and let only large ops (matrix multiply) use more threads.
 * The launcher sets {@code OMP_NUM_THREADS} (default 1 on machines with up to 4 cores) before the JVM starts.
 */
public final class ThreadSettings {
    private ThreadSettings() {
    }

    /** Applies the defaults unless {@code RNNSUITE_KEEP_ND4J_THREADS} is set. */
    public static void applyDefaults() {
        if (System.getenv("RNNSUITE_KEEP_ND4J_THREADS") != null) {
            return;
        }
        var env = Nd4j.getEnvironment();
        env.setMaxMasterThreads(1);
        env.setElementwiseThreshold(Integer.MAX_VALUE / 2);
        env.setTadThreshold(Integer.MAX_VALUE / 2);
    }
}
