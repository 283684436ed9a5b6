/** Results of experiments and benchmarks as people read them: aligned tables (also CSV) and findings. */
package org.rnnsuite.core.report;
