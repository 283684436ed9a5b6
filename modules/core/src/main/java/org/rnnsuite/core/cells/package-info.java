/**
 * The recurrent cells every task is built from: {@code rnn}, {@code lstm}, {@code peephole}, {@code cifg} and
 * {@code gru}, created by {@link org.rnnsuite.core.cells.Cells} from a config value.
 */
package org.rnnsuite.core.cells;
