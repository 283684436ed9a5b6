/** The ND4J backend in use, its devices, BLAS and threading, and the thread defaults rnnsuite applies. */
package org.rnnsuite.core.hw;
