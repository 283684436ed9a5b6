/**
 * Lecture experiments: each states a claim from an RNN course, runs it on small synthetic data and returns the
 * evidence as a table and PNG plots ({@link org.rnnsuite.lectures.ExperimentResult}). Also the runner that executes
 * the Java notebooks under {@code notebooks/} in JShell ({@link org.rnnsuite.lectures.NotebookRunner}).
 */
package org.rnnsuite.lectures;
