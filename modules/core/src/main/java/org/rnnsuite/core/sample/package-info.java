/**
 * Generating from sequence models, shared by every task: choosing the next token from a distribution (greedy,
 * temperature, top-k; {@link org.rnnsuite.core.sample.CategoricalSampler}, seeded so the same seed gives the same
 * text) and decoding whole sequences by greedy or beam search ({@link org.rnnsuite.core.sample.BeamSearch}) over a
 * step function that returns next-token log-probabilities.
 */
package org.rnnsuite.core.sample;
