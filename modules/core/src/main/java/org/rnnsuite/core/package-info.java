/**
 * The rnnsuite core library: recurrent cells ({@code cells}), the training engine ({@code train}), sampling and
 * decoding ({@code sample}), model bundles ({@code bundle}), shared data plumbing ({@code data}), typed configs
 * ({@code config}), plots ({@code plot}) and the backend report ({@code hw}). Task modules build on this package and
 * never on each other.
 */
package org.rnnsuite.core;
