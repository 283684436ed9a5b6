/**
 * Layers other than recurrent cells that the recurrent path needs: {@link org.rnnsuite.core.layers.SequenceOutputLayer},
 * a per-time-step softmax output layer that scores a minibatch while it computes its gradient.
 */
package org.rnnsuite.core.layers;
