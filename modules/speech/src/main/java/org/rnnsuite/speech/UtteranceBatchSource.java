package org.rnnsuite.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.train.BatchSource;

/**
 * Endless minibatches of labelled feature sequences, reshuffled every epoch and grouped by similar length. The order
 * of epoch {@code e} depends only on (seed, e), so the position (epoch, cursor) is all a resumed run needs.
 */
public final class UtteranceBatchSource implements BatchSource {
    /** Batches per length-sorting window. */
    private static final int BUCKET = 8;
    private final List<float[][]> features;
    /** Feature versions of every clip (augmentation); version 0 is {@link #features}. */
    private final List<List<float[][]>> versions;
    private final int[] labels;
    private final int classes;
    private final int batchSize;
    private final String readout;
    private final long seed;
    /** Time masks per clip and epoch (0: none), and the widest one in frames. */
    private final int timeMasks;
    private final int timeMaskFrames;
    /** Share of each one-hot target spread over all classes (label smoothing); 0: none. */
    private final double labelSmoothing;
    /** Beta(mixup, mixup) draws how much of a partner clip each clip is mixed with; 0: no mixup. */
    private final double mixup;
    private int epoch;
    private int cursor;
    private int[] order;

    public UtteranceBatchSource(List<float[][]> features, int[] labels, int classes, int batchSize, String readout,
                                long seed) {
        this(labels, List.of(features), classes, batchSize, readout, seed, 0, 0, 0, 0);
    }

    /**
     * A source over several feature versions of the same clips (e.g. warped copies): each epoch uses one version of
     * each clip, drawn from (seed, epoch, clip). Every version must have the same clips with the same frame counts.
     */
    public static UtteranceBatchSource withVersions(List<List<float[][]>> versions, int[] labels, int classes,
                                                    int batchSize, String readout, long seed) {
        return new UtteranceBatchSource(labels, versions, classes, batchSize, readout, seed, 0, 0, 0, 0);
    }

    /**
     * This source with SpecAugment-style time masks (see {@link SpeechAugmentConfig}): each drawn clip gets up to
     * {@code masks} spans of up to {@code maxFrames} frames (and at most a fifth of the clip each) set to 0, the
     * normalized training mean. The spans are a function of (seed, epoch, clip), so every epoch sees fresh ones and
     * a resumed run the same ones; the stored features are not changed. The position starts anew.
     */
    public UtteranceBatchSource withTimeMasks(int masks, int maxFrames) {
        if (masks < 0 || maxFrames < 0) {
            throw new IllegalArgumentException("time masks and their width must not be negative");
        }
        return new UtteranceBatchSource(labels, versions, classes, batchSize, readout, seed, masks, maxFrames,
                labelSmoothing, mixup);
    }

    /**
     * This source with smoothed targets: {@code 1 - eps} on the true class plus {@code eps / classes} on every
     * class (see {@link SpeechAugmentConfig}). The position starts anew.
     */
    public UtteranceBatchSource withLabelSmoothing(double eps) {
        if (!(eps >= 0 && eps < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + eps);
        }
        return new UtteranceBatchSource(labels, versions, classes, batchSize, readout, seed, timeMasks,
                timeMaskFrames, eps, mixup);
    }

    /**
     * This source with mixup (see {@link SpeechAugmentConfig#mixup()}): every clip of a batch is mixed with a partner
     * drawn from the same batch (batches hold clips of similar length), {@code l * clip + (1 - l) * partner} frame by
     * frame over the clip's own frames (a shorter partner is extended by zeros, the normalized training mean), with
     * {@code l = max(x, 1 - x)}, {@code x ~ Beta(alpha, alpha)}; its target is {@code l} on its word plus
     * {@code 1 - l} on the partner's. Partners and weights are a function of (seed, epoch, position), so a resumed
     * run draws the same ones. The position starts anew.
     */
    public UtteranceBatchSource withMixup(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("mixup's Beta parameter must be in [0, 1], got " + alpha);
        }
        return new UtteranceBatchSource(labels, versions, classes, batchSize, readout, seed, timeMasks,
                timeMaskFrames, labelSmoothing, alpha);
    }

    private UtteranceBatchSource(int[] labels, List<List<float[][]>> versions, int classes, int batchSize,
                                 String readout, long seed, int timeMasks, int timeMaskFrames,
                                 double labelSmoothing, double mixup) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("need at least one feature version");
        }
        List<float[][]> features = versions.get(0);
        if (features.isEmpty() || features.size() != labels.length) {
            throw new IllegalArgumentException("need as many labels as sequences, and at least one");
        }
        for (List<float[][]> v : versions) {
            if (v.size() != features.size()) {
                throw new IllegalArgumentException("every feature version needs all " + features.size() + " clips");
            }
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).length != features.get(i).length) {
                    throw new IllegalArgumentException("feature versions of clip " + i + " differ in length");
                }
            }
        }
        this.versions = List.copyOf(versions);
        this.features = features;
        this.labels = labels;
        this.classes = classes;
        this.batchSize = batchSize;
        this.readout = readout;
        this.seed = seed;
        this.timeMasks = timeMasks;
        this.timeMaskFrames = timeMaskFrames;
        this.labelSmoothing = labelSmoothing;
        this.mixup = mixup;
        this.order = permutation(0);
    }

    @Override
    public MultiDataSet next() {
        if (cursor >= order.length) {
            epoch++;
            cursor = 0;
            order = permutation(epoch);
        }
        int n = Math.min(batchSize, order.length - cursor);
        List<float[][]> seqs = new ArrayList<>(n);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int idx = order[cursor + i];
            seqs.add(timeMasked(versions.get(version(idx)).get(idx), idx));
            y[i] = labels[idx];
        }
        double[] weight = null;
        int[] partner = null;
        if (mixup > 0) {
            Random r = new Random(mix(seed * 0xA0761D6478BD642FL + epoch * 0xE7037ED1A0B428DBL
                    + cursor * 0x8EBC6AF09C88C6E3L + 0x589965CC75374CC3L));
            weight = new double[n];
            partner = new int[n];
            List<float[][]> drawn = new ArrayList<>(seqs);
            for (int i = 0; i < n; i++) {
                partner[i] = r.nextInt(n);
                double x = beta(mixup, r);
                weight[i] = Math.max(x, 1 - x);
                seqs.set(i, mixed(drawn.get(i), drawn.get(partner[i]), (float) weight[i]));
            }
        }
        cursor += n;
        MultiDataSet b = SequenceBatches.batch(seqs, y, classes, readout);
        if (weight != null) {
            INDArray t = b.getLabels(0);
            for (int i = 0; i < n; i++) {
                // the target's index: (clip, word) or, for readout "last", (clip, word, last frame)
                long[] self = "last".equals(readout) ? new long[] {i, y[i], seqs.get(i).length - 1}
                        : new long[] {i, y[i]};
                long[] other = self.clone();
                other[1] = y[partner[i]];
                t.putScalar(self, weight[i]);
                t.putScalar(other, t.getDouble(other) + 1 - weight[i]);
            }
        }
        if (labelSmoothing > 0) {
            // with readout "last" the padded steps get eps/classes too, but the label mask hides them
            b.getLabels(0).muli(1 - labelSmoothing).addi(labelSmoothing / classes);
        }
        return b;
    }

    @Override
    public String itemUnit() {
        return "utterances";
    }

    @Override
    public JsonNode state() {
        ObjectNode s = Configs.mapper().createObjectNode();
        s.put("epoch", epoch);
        s.put("cursor", cursor);
        return s;
    }

    @Override
    public void restore(JsonNode state) {
        epoch = state.path("epoch").asInt();
        cursor = state.path("cursor").asInt();
        order = permutation(epoch);
    }

    /** {@code l * a + (1 - l) * b} over the frames of {@code a}; frames {@code b} lacks count as zeros. */
    static float[][] mixed(float[][] a, float[][] b, float l) {
        float[][] out = new float[a.length][];
        for (int t = 0; t < a.length; t++) {
            out[t] = new float[a[t].length];
            for (int k = 0; k < a[t].length; k++) {
                out[t][k] = l * a[t][k] + (t < b.length ? (1 - l) * b[t][k] : 0f);
            }
        }
        return out;
    }

    /** A draw from Beta(alpha, alpha), {@code 0 < alpha <= 1} (Johnk's method, in logarithms for small alpha). */
    static double beta(double alpha, Random r) {
        while (true) {
            double lx = Math.log(1 - r.nextDouble()) / alpha;
            double ly = Math.log(1 - r.nextDouble()) / alpha;
            double lsum = lx > ly ? lx + Math.log1p(Math.exp(ly - lx)) : ly + Math.log1p(Math.exp(lx - ly));
            if (lsum <= 0) {
                return Math.exp(lx - lsum);
            }
        }
    }

    /** The feature version clip {@code idx} is seen in during the current epoch. */
    private int version(int idx) {
        if (versions.size() == 1) {
            return 0;
        }
        return (int) Math.floorMod(mix(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L
                + idx * 0x94D049BB133111EBL), (long) versions.size());
    }

    /** SplitMix64's finalizer: a well-spread hash of a long. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Clip {@code idx} with this epoch's time masks; masked frames are new zero rows, the others shared. */
    private float[][] timeMasked(float[][] seq, int idx) {
        int widest = Math.min(timeMaskFrames, seq.length / 5);
        if (timeMasks == 0 || widest == 0) {
            return seq;
        }
        // a stream of its own (different constants from version()), so masks and versions are independent
        Random r = new Random(mix(seed * 0xD6E8FEB86659FD93L + epoch * 0x9E3779B97F4A7C15L
                + idx * 0xC2B2AE3D27D4EB4FL + 0x5851F42D4C957F2DL));
        float[][] out = seq.clone();
        float[] zero = new float[seq[0].length];
        for (int m = 0; m < timeMasks; m++) {
            int width = r.nextInt(widest + 1);
            int start = r.nextInt(seq.length - width + 1);
            for (int t = start; t < start + width; t++) {
                out[t] = zero;
            }
        }
        return out;
    }

    private int[] permutation(int e) {
        int[] p = new int[features.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + e);
        shuffle(p, r);
        // Bucketing: within windows of BUCKET batches, sort by length so a batch pads little (padded frames cost
        // as much as real ones), then shuffle the order of the batches again.
        int window = batchSize * BUCKET;
        Integer[] boxed = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            boxed[i] = p[i];
        }
        for (int start = 0; start < p.length; start += window) {
            java.util.Arrays.sort(boxed, start, Math.min(p.length, start + window),
                    java.util.Comparator.comparingInt(i -> features.get(i).length));
        }
        int batches = (p.length + batchSize - 1) / batchSize;
        int[] batchOrder = new int[batches];
        for (int i = 0; i < batches; i++) {
            batchOrder[i] = i;
        }
        // only full batches are shuffled: a short last batch stays last, so every batch is one sorted slice
        int[] full = java.util.Arrays.copyOf(batchOrder, p.length / batchSize);
        shuffle(full, r);
        System.arraycopy(full, 0, batchOrder, 0, full.length);
        int[] out = new int[p.length];
        int k = 0;
        for (int b : batchOrder) {
            for (int i = b * batchSize; i < Math.min(p.length, (b + 1) * batchSize); i++) {
                out[k++] = boxed[i];
            }
        }
        return out;
    }

    private static void shuffle(int[] p, Random r) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
    }
}
