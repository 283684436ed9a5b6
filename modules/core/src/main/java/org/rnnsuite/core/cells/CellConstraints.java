package org.rnnsuite.core.cells;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;

/** Adds the recurrent-layer constraints ({@code constrainRecurrent}, {@code constrainInputWeights}), as DL4J's LSTM. */
final class CellConstraints {
    private CellConstraints() {
    }

    static List<LayerConstraint> withRecurrent(List<LayerConstraint> base, BaseRecurrentLayer.Builder<?> builder) {
        List<LayerConstraint> out = base == null ? new ArrayList<>() : new ArrayList<>(base);
        add(out, builder.getRecurrentConstraints(), "RW");
        add(out, builder.getInputWeightConstraints(), "W");
        return out.isEmpty() ? null : out;
    }

    private static void add(List<LayerConstraint> out, List<LayerConstraint> cs, String param) {
        if (cs != null) {
            for (LayerConstraint c : cs) {
                LayerConstraint c2 = c.clone();
                c2.setParams(Set.of(param));
                out.add(c2);
            }
        }
    }
}
