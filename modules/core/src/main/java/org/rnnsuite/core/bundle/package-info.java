/**
 * Model bundles: one zip file holding the network, the task's typed config, its vocabulary or normalizer and the
 * provenance of the run that made it. Written atomically; loading checks the task and names the file on any error.
 */
package org.rnnsuite.core.bundle;
