package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The factory builds every cell, with its sizes and dropout, and rejects bad dropout values. */
class CellsTest {
    @ParameterizedTest
    @EnumSource(CellType.class)
    void buildsEveryCell(CellType type) {
        Layer plain = Cells.layer(type, 7, 5, 0);
        BaseRecurrentLayer r = assertInstanceOf(BaseRecurrentLayer.class, plain);
        assertEquals(7, r.getNIn());
        assertEquals(5, r.getNOut());
        assertNull(plain.getIDropout());
        assertNotNull(Cells.layer(type, 7, 5, 0.25).getIDropout());
        assertEquals(type, CellType.parse(type.id()));
    }

    @Test
    void newCellsAreTheLayersDefinedHere() {
        assertInstanceOf(GRU.class, Cells.layer(CellType.GRU, 3, 4, 0));
        assertInstanceOf(CIFG.class, Cells.layer(CellType.CIFG, 3, 4, 0));
    }

    @Test
    void recurrentAndInputWeightConstraintsApply() {
        GRU gru = new GRU.Builder().nIn(3).nOut(4).constrainRecurrent(new MaxNormConstraint(1.0, 0))
                .constrainInputWeights(new NonNegativeConstraint()).build();
        assertEquals(2, gru.getConstraints().size());
        assertEquals(java.util.Set.of("RW"), gru.getConstraints().get(0).getParams());
        assertEquals(java.util.Set.of("W"), gru.getConstraints().get(1).getParams());
        CIFG cifg = new CIFG.Builder().nIn(3).nOut(4).constrainRecurrent(new MaxNormConstraint(1.0, 0)).build();
        assertEquals(1, cifg.getConstraints().size());
    }

    @Test
    void rejectsDropoutOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Cells.layer(CellType.GRU, 3, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Cells.layer(CellType.CIFG, 3, 4, -0.1));
    }
}
