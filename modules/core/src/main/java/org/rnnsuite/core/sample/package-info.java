/**
 * Decoding from sequence models: greedy and beam search ({@link org.rnnsuite.core.sample.BeamSearch}) over any
 * step function that returns next-token log-probabilities, shared by every task that generates sequences.
 */
package org.rnnsuite.core.sample;
