package org.rnnsuite.core.cells;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access from Java to the native memory of an array that this package allocated itself (offset 0,
 * contiguous), in float or double. Why: on CPU an ND4J element-wise call costs tens of microseconds however small
 * the array, while a Java loop over the few thousand elements of one time step costs a few; reading and writing the
 * memory directly through an NIO view needs no native call per element. Values are computed in double and
 * stored in the array's type.
 */
public abstract class NativeMem {
    /**
     * Only on the CPU backend is an array's NIO view its real memory; on CUDA a host view would not be synchronized
     * with the device, so there every caller takes its ND4J path. Tests switch this off to exercise that path.
     */
    private static volatile boolean enabled = org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU();

    /** Turns direct memory access on or off (off: callers use plain ND4J ops); returns the previous setting. */
    public static boolean setEnabled(boolean on) {
        boolean was = enabled;
        enabled = on;
        return was;
    }

    /** Whether the direct paths (this class, {@link Gemm}) are in use: the CPU backend, unless a test turned them off. */
    static boolean enabled() {
        return enabled;
    }

    /** Element {@code i}. */
    public abstract double get(int i);

    /** Sets element {@code i}. */
    public abstract void set(int i, double v);

    /**
     * A view of the memory of {@code a}, which must own its buffer (created by this package outside workspaces, or
     * fresh from a workspace), so that element 0 of the buffer is element 0 of the array; null for other types.
     */
    public static NativeMem of(INDArray a) {
        if (!enabled || a.data().offset() != 0 || a.length() > Integer.MAX_VALUE) {
            return null;
        }
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = a.data().asNioFloat();
            return b.capacity() >= a.length() ? new F(b) : null;
        }
        if (a.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = a.data().asNioDouble();
            return b.capacity() >= a.length() ? new D(b) : null;
        }
        return null;
    }

    /** Whether {@link #of} supports arrays of this type. */
    public static boolean supports(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE;
    }

    /** A copy of a (possibly strided or offset) vector, read with one native call. */
    public static double[] copyOf(INDArray v) {
        return v.elementWiseStride() == 1 && v.data().length() == v.length() ? v.data().asDouble()
                : v.toDoubleVector();
    }

    private static final class F extends NativeMem {
        private final FloatBuffer b;

        F(FloatBuffer b) {
            this.b = b;
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, (float) v);
        }
    }

    private static final class D extends NativeMem {
        private final DoubleBuffer b;

        D(DoubleBuffer b) {
            this.b = b;
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, v);
        }
    }
}
