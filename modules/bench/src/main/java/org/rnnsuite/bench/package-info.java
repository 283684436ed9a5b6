/**
 * Benchmarks run by hand, not by the test suite: {@link org.rnnsuite.bench.CellThroughput} measures training
 * throughput of every recurrent cell on a char-LM-shaped network.
 */
package org.rnnsuite.bench;
