package org.rnnsuite.speech;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnsuite.core.config.Configs;

/**
 * Accuracy, per-class precision/recall/F1 and the confusion matrix of a model on labelled clips.
 *
 * @param labels     class labels, indexing the matrix
 * @param confusion  {@code confusion[true][predicted]} counts
 * @param utterances clips evaluated
 */
public record SpeechEvaluation(List<String> labels, int[][] confusion, int utterances) {

    /** Per-class figures; precision or recall of a class never predicted / never present is 0. */
    public record ClassMetrics(double precision, double recall, double f1, int support) {
    }

    /** Counts predictions against truths (both indices into {@code labels}). */
    public static SpeechEvaluation of(List<String> labels, int[] truth, int[] predicted) {
        int[][] m = new int[labels.size()][labels.size()];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return new SpeechEvaluation(List.copyOf(labels), m, truth.length);
    }

    /** Fraction of clips classified correctly. */
    public double accuracy() {
        int correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return utterances == 0 ? Double.NaN : correct / (double) utterances;
    }

    public Map<String, ClassMetrics> perClass() {
        Map<String, ClassMetrics> out = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            int tp = confusion[c][c];
            int predicted = 0;
            int actual = 0;
            for (int k = 0; k < labels.size(); k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            double p = predicted == 0 ? 0 : tp / (double) predicted;
            double r = actual == 0 ? 0 : tp / (double) actual;
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            out.put(labels.get(c), new ClassMetrics(p, r, f, actual));
        }
        return out;
    }

    /** {@code {"accuracy": .., "per_class": {label: {precision, recall, f1, support}}, "utterances": N, ...}}. */
    public ObjectNode toJson() {
        ObjectNode root = Configs.mapper().createObjectNode();
        root.put("accuracy", accuracy());
        ObjectNode pc = root.putObject("per_class");
        perClass().forEach((k, v) -> pc.set(k, Configs.mapper().valueToTree(v)));
        root.put("utterances", utterances);
        root.set("labels", Configs.mapper().valueToTree(labels));
        root.set("confusion", Configs.mapper().valueToTree(confusion));
        return root;
    }
}
