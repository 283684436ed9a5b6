package org.rnnsuite.core.cells;

import java.lang.reflect.Method;

/**
 * The CPU backend's own BLAS entry points ({@code sgemm}/{@code dgemm} of its level-3 wrapper, {@code sgemv}/
 * {@code dgemv} of its level-2 one), which take BLAS arguments as they are; ND4J's public methods go through its
 * matmul op instead. Looked up by name and arity on the wrapper's class hierarchy; null on other backends.
 */
final class BlasEntry {
    private BlasEntry() {
    }

    /**
     * The float and double methods named {@code single} and {@code dbl} with {@code arity} parameters on
     * {@code wrapper}, made accessible; null where either is missing or the wrapper is not the CPU backend's.
     */
    static Method[] find(Object wrapper, String single, String dbl, int arity) {
        Method s = null;
        Method d = null;
        try {
            for (Class<?> c = wrapper.getClass(); c != null && (s == null || d == null); c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getParameterCount() != arity) {
                        continue;
                    }
                    if (m.getName().equals(single) && s == null) {
                        s = m;
                    } else if (m.getName().equals(dbl) && d == null) {
                        d = m;
                    }
                }
            }
            if (s == null || d == null || !wrapper.getClass().getName().contains("nativecpu")) {
                return null;
            }
            s.setAccessible(true);
            d.setAccessible(true);
            return new Method[] {s, d};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
