package org.rnnsuite.speech;

import java.nio.file.Path;

/**
 * One labelled clip of a dataset.
 *
 * @param file    the WAV file
 * @param label   its class (the name of its folder)
 * @param speaker who or what spoke it (the file-name prefix before the first underscore), used to split by speaker
 */
public record Utterance(Path file, String label, String speaker) {
}
