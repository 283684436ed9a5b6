/**
 * Typed configs: every component owns a Java record with a {@code defaults()} factory and validation in its compact
 * constructor. {@link org.rnnsuite.core.config.Configs} loads a named JSON config over the defaults, applies
 * {@code key=value} overrides and rejects unknown keys.
 */
package org.rnnsuite.core.config;
