/**
 * Lecture experiments on the character language model: full vs truncated BPTT, GRU vs LSTM on a small and a
 * larger corpus, and sampling temperature. Each returns a table and PNG plots
 * ({@link org.rnnsuite.core.report.ExperimentResult}).
 */
package org.rnnsuite.charlm.lectures;
