/**
 * The {@code rnnsuite} command. The only place that parses flags, prints usage and exits: subcommands parse their
 * options, call a task from a module and print its result. User errors exit 2 with one line; bugs exit 1.
 */
package org.rnnsuite.cli;
