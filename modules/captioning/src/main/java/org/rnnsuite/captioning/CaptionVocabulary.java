package org.rnnsuite.captioning;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnnsuite.core.data.Vocabulary;

/** The word vocabulary of a captioning model: end, start and unknown tokens first, then the training words. */
public final class CaptionVocabulary {
    /** Ends a caption; also pads inputs after it. */
    public static final String END = "<end>";
    /** Fed at the first step together with the image. */
    public static final String START = "<start>";
    /** Stands for words too rare in training. */
    public static final String UNKNOWN = "<unk>";

    private CaptionVocabulary() {
    }

    /** Words of the training captions seen at least {@code minCount} times. */
    public static Vocabulary build(List<CaptionDataset.Item> items, int minCount) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CaptionDataset.Item it : items) {
            for (List<String> c : it.tokenized()) {
                for (String w : c) {
                    counts.merge(w, 1, Integer::sum);
                }
            }
        }
        List<String> kept = counts.entrySet().stream().filter(e -> e.getValue() >= minCount)
                .map(Map.Entry::getKey).toList();
        return Vocabulary.build(kept, List.of(END, START, UNKNOWN), UNKNOWN);
    }
}
