/**
 * The recurrent cells every task is built from: {@code rnn}, {@code lstm}, {@code dl4j-lstm}, {@code peephole},
 * {@code cifg} and {@code gru}, created by {@link org.rnnsuite.core.cells.Cells} from a config value.
 *
 * <p>DL4J ships {@code rnn}, {@code dl4j-lstm} and {@code peephole}. {@link org.rnnsuite.core.cells.FusedLSTM}
 * ({@code lstm}; PyTorch formulation, weights interchangeable with {@code torch.nn.LSTM}),
 * {@link org.rnnsuite.core.cells.GRU} (PyTorch/cuDNN formulation, weights
 * interchangeable with {@code torch.nn.GRU}) and {@link org.rnnsuite.core.cells.CIFG} (LSTM with coupled input and
 * forget gates) are full DL4J layers defined here: configuration class with builder, JSON and
 * {@code ModelSerializer} support, a {@code ParamInitializer}, and an implementation layer
 * ({@link org.rnnsuite.core.cells.FusedLSTMLayer}, {@link org.rnnsuite.core.cells.GRULayer},
 * {@link org.rnnsuite.core.cells.CIFGLayer}) with masks, truncated BPTT,
 * {@code rnnTimeStep}, dropout, regularization and Bidirectional wrapping. Their forward and backward passes are
 * written with ND4J operations arranged for low per-operation overhead; see
 * {@link org.rnnsuite.core.cells.RecurrentCellLayer}. libnd4j's fused {@code gru} and {@code lstmLayer} ops are
 * deliberately not used: the first has a wrong reset-gate gradient, the second mishandles an initial state.
 *
 * <p>For generation and live streaming, one sequence one step at a time, {@link org.rnnsuite.core.cells.CellStepper}
 * (a {@code gru}, {@code lstm} or {@code cifg} layer) and {@link org.rnnsuite.core.cells.NetworkStepper} (a stack of
 * them with a softmax output) compute the step in plain Java from a copy of the weights, tested equal to the layers'
 * own forward pass: at batch 1 a step is a few hundred thousand multiply-adds, which the JIT's vectorized loops do
 * faster than a dozen native calls. {@code rnnsuite charlm sample} and {@code rnnsuite speech classify --stream}
 * use them.
 */
package org.rnnsuite.core.cells;
