/**
 * Choosing the next token from a model's output distribution, shared by every generating task: greedy (argmax),
 * temperature scaling and top-k truncation, drawn from a seeded generator so the same seed gives the same text.
 */
package org.rnnsuite.core.sample;
