/**
 * The training engine shared by every task: {@link org.rnnsuite.core.train.Trainer} runs minibatch steps over a
 * resumable {@link org.rnnsuite.core.train.BatchSource} with truncated BPTT, clipping, schedules, validation, early
 * stopping, atomic checkpoints, a divergence guard, progress lines, a metrics CSV and a loss-curve PNG.
 */
package org.rnnsuite.core.train;
