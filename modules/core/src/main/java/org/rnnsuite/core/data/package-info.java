/** Data plumbing shared by tasks: vocabularies, hashing of training data, text and file checks. */
package org.rnnsuite.core.data;
