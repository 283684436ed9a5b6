package org.rnnsuite.core.cells;

import java.util.Objects;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;

/**
 * What the two LSTM-family cell configurations share, {@link FusedLSTM} and {@link CIFG}: the initial forget-gate
 * bias (default 1, as DL4J's LSTM, so a new cell starts out remembering), recurrent-weight constraints, and
 * equality, hashing and printing that include the bias. How the bias is applied is the parameter initializer's
 * business (the CIFG has no forget gate of its own and starts its input gate at the negative).
 */
public abstract class ForgetGateCell extends BaseRecurrentLayer {
    private double forgetGateBiasInit = 1.0;

    protected ForgetGateCell(Builder<?> builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
        initializeConstraints(builder);
    }

    /** For JSON deserialization. */
    protected ForgetGateCell() {
    }

    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        constraints = CellConstraints.withRecurrent(constraints, (BaseRecurrentLayer.Builder<?>) builder);
    }

    /** Initial bias of the forget gate; default 1. */
    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    /** See {@link #getForgetGateBiasInit()}. */
    public void setForgetGateBiasInit(double forgetGateBiasInit) {
        this.forgetGateBiasInit = forgetGateBiasInit;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o)
                && Double.compare(forgetGateBiasInit, ((ForgetGateCell) o).forgetGateBiasInit) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), forgetGateBiasInit);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + super.toString() + ", forgetGateBiasInit=" + forgetGateBiasInit
                + ")";
    }

    /** Builder of a forget-gate cell: the recurrent-layer settings plus {@link #forgetGateBiasInit}. */
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        private double forgetGateBiasInit = 1.0;

        /** Initial forget-gate bias; default 1. */
        @SuppressWarnings("unchecked")
        public T forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return (T) this;
        }
    }
}
