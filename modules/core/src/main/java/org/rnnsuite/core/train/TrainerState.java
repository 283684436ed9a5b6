package org.rnnsuite.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a checkpoint stores besides the network and its updater: enough to continue as if never stopped.
 *
 * @param step                    steps completed
 * @param dataState               the batch source's position ({@link BatchSource#state()})
 * @param bestValidation          best validation loss so far (NaN if none)
 * @param bestStep                step of the best validation (-1 if none)
 * @param validationsWithoutGain  validations since the last improvement (early stopping)
 * @param elapsedSec              training seconds so far
 * @param history                 metrics rows so far
 */
public record TrainerState(int step, JsonNode dataState, double bestValidation, int bestStep,
                           int validationsWithoutGain, double elapsedSec, List<MetricsRow> history) {
    /** Name of the artifact holding this state inside a checkpoint bundle. */
    public static final String ARTIFACT = "trainer-state.json";
}
