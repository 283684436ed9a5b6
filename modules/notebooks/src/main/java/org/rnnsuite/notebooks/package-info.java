/**
 * The notebooks under {@code notebooks/}: {@link org.rnnsuite.notebooks.NotebookRunner} executes every code cell in
 * order in JShell against the suite's classpath, fails on the first error and writes text and PNG outputs back into
 * the notebook; {@link org.rnnsuite.notebooks.Notebook} is what notebook code calls to show a plot. This module
 * depends on every task module (like the CLI) so notebooks can use all of them.
 */
package org.rnnsuite.notebooks;
