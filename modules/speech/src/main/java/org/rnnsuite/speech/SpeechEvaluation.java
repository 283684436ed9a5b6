package org.rnnsuite.speech;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnnsuite.core.config.Configs;

/**
 * Accuracy, per-class precision/recall/F1 and the confusion matrix of a model on labelled clips.
 *
 * @param labels     class labels, indexing the matrix
 * @param confusion  {@code confusion[true][predicted]} counts
 * @param utterances clips evaluated
 * @param perSpeaker clips and correct ones per speaker, by speaker name (empty when speakers are unknown)
 * @param logLoss    mean negative log-probability of the true class, in nats per clip (NaN when the predictions
 *                   came without probabilities); unlike accuracy, every clip moves it
 */
public record SpeechEvaluation(List<String> labels, int[][] confusion, int utterances,
                               Map<String, SpeakerMetrics> perSpeaker, double logLoss) {

    /** Probabilities below this count as this in {@link #logLoss}, so one confident mistake stays finite. */
    public static final double MIN_PROBABILITY = 1e-12;

    /** Per-class figures; precision or recall of a class never predicted / never present is 0. */
    public record ClassMetrics(double precision, double recall, double f1, int support) {
    }

    /** One speaker's clips and how many of them were classified correctly. */
    public record SpeakerMetrics(int correct, int clips) {
        public double accuracy() {
            return clips == 0 ? Double.NaN : correct / (double) clips;
        }
    }

    public SpeechEvaluation {
        labels = List.copyOf(labels);
        perSpeaker = java.util.Collections.unmodifiableMap(new TreeMap<>(perSpeaker));
    }

    /** Counts predictions against truths (both indices into {@code labels}). */
    public static SpeechEvaluation of(List<String> labels, int[] truth, int[] predicted) {
        return of(labels, truth, predicted, null);
    }

    /**
     * Counts predictions against truths (both indices into {@code labels}), and per speaker when {@code speakers}
     * (clip i's speaker, or null) is given.
     */
    public static SpeechEvaluation of(List<String> labels, int[] truth, int[] predicted, List<String> speakers) {
        if (predicted.length != truth.length || speakers != null && speakers.size() != truth.length) {
            throw new IllegalArgumentException("need one prediction and one speaker per clip");
        }
        int[][] m = new int[labels.size()][labels.size()];
        Map<String, int[]> counts = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
            if (speakers != null) {
                int[] c = counts.computeIfAbsent(speakers.get(i), k -> new int[2]);
                c[0] += truth[i] == predicted[i] ? 1 : 0;
                c[1]++;
            }
        }
        Map<String, SpeakerMetrics> per = new TreeMap<>();
        counts.forEach((k, c) -> per.put(k, new SpeakerMetrics(c[0], c[1])));
        return new SpeechEvaluation(labels, m, truth.length, per, Double.NaN);
    }

    /**
     * Like {@link #of(List, int[], int[], List)} from class probabilities ({@code probabilities[i][c]}, rows in
     * {@code labels}' order): each clip's prediction is its most probable class, and {@link #logLoss} is measured.
     */
    public static SpeechEvaluation ofProbabilities(List<String> labels, int[] truth, double[][] probabilities,
                                                   List<String> speakers) {
        if (probabilities.length != truth.length) {
            throw new IllegalArgumentException("need one probability row per clip");
        }
        int[] pred = new int[truth.length];
        double nats = 0;
        for (int i = 0; i < truth.length; i++) {
            if (probabilities[i].length != labels.size()) {
                throw new IllegalArgumentException("clip " + i + " has " + probabilities[i].length
                        + " probabilities for " + labels.size() + " labels");
            }
            pred[i] = SpeechModel.argmax(probabilities[i]);
            nats -= Math.log(Math.max(probabilities[i][truth[i]], MIN_PROBABILITY));
        }
        SpeechEvaluation e = of(labels, truth, pred, speakers);
        return new SpeechEvaluation(labels, e.confusion, e.utterances, e.perSpeaker,
                truth.length == 0 ? Double.NaN : nats / truth.length);
    }

    /** Speakers from the least to the best recognized (ties by name). */
    public List<Map.Entry<String, SpeakerMetrics>> speakersByAccuracy() {
        return perSpeaker.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, SpeakerMetrics> e) -> e.getValue().accuracy())
                        .thenComparing(Map.Entry::getKey))
                .toList();
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

    /**
     * {@code {"accuracy": .., "per_class": {label: {precision, recall, f1, support}}, "utterances": N,
     * "labels": [..], "confusion": [[..]], "per_speaker": {speaker: {accuracy, correct, clips}}}} (the last only when
     * speakers are known), and {@code "log_loss"} when it was measured.
     */
    public ObjectNode toJson() {
        ObjectNode root = Configs.mapper().createObjectNode();
        root.put("accuracy", accuracy());
        if (Double.isFinite(logLoss)) {
            root.put("log_loss", logLoss);
        }
        ObjectNode pc = root.putObject("per_class");
        perClass().forEach((k, v) -> pc.set(k, Configs.mapper().valueToTree(v)));
        root.put("utterances", utterances);
        root.set("labels", Configs.mapper().valueToTree(labels));
        root.set("confusion", Configs.mapper().valueToTree(confusion));
        if (!perSpeaker.isEmpty()) {
            ObjectNode ps = root.putObject("per_speaker");
            perSpeaker.forEach((k, v) -> ps.putObject(k).put("accuracy", v.accuracy()).put("correct", v.correct())
                    .put("clips", v.clips()));
        }
        return root;
    }
}
