package org.rnnsuite.bench;

import java.util.Arrays;
import java.util.Collection;

/** Summary statistics of repeated measurements. */
public final class Stats {
    private Stats() {
    }

    /** The median (mean of the middle two for an even count); NaN for no values. */
    public static double median(Collection<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median (mean of the middle two for an even count); NaN for no values. */
    public static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
