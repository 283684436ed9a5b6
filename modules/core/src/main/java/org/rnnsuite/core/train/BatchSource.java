package org.rnnsuite.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * An endless, resumable stream of training minibatches. Sources cycle over their data (reshuffling per epoch from
 * their seed) and can report and restore their position, so a resumed run sees exactly the batches an
 * uninterrupted one would have seen.
 */
public interface BatchSource {
    /** The next minibatch. */
    MultiDataSet next();

    /** How many items (characters, images, utterances) a batch counts for throughput. */
    default long itemCount(MultiDataSet batch) {
        return batch.getFeatures(0).size(0);
    }

    /** Name of the items, for progress lines ("chars", "images"). */
    default String itemUnit() {
        return "items";
    }

    /** The position in the data, enough to continue from here after {@link #restore}. */
    JsonNode state();

    /** Continues from a position previously returned by {@link #state()}. */
    void restore(JsonNode state);
}
