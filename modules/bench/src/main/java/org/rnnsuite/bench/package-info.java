/**
 * Benchmarks, run by hand or by {@code rnnsuite bench}, never by the test suite. {@link
 * org.rnnsuite.bench.BenchSuite} compares rnnsuite with a PyTorch peer ({@code modules/bench/peer/torch_peer.py},
 * one long-lived worker spoken to over {@link org.rnnsuite.bench.PeerChannel}) on the same char-LM models,
 * vocabulary, minibatches, optimizer and steps; {@link org.rnnsuite.bench.CellThroughput} compares the recurrent
 * cells with each other.
 */
package org.rnnsuite.bench;
