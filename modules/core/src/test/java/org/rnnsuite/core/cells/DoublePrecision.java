package org.rnnsuite.core.cells;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** JUnit extension: double precision by default for the test class, restored afterwards. */
final class DoublePrecision implements BeforeAllCallback, AfterAllCallback {
    private DataType before;
    private DataType beforeFloat;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = Nd4j.dataType();
        beforeFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Nd4j.setDefaultDataTypes(before, beforeFloat);
    }
}
