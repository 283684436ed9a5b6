package org.rnnsuite.charlm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average negative log2-likelihood of each next character of a text under a model: the number compression would
 * pay per character, and the unit the training loss is reported in.
 *
 * <p>The text is cut into up to {@code STREAMS} contiguous pieces evaluated side by side as one minibatch, each
 * carrying its recurrent state across chunks ({@code rnnTimeStep}). Each piece first reads the {@code WARMUP}
 * characters before it without scoring them, so its first characters are predicted with context as they would be
 * in one long pass; the pieces' scored parts tile the text, so every character but the very first is scored exactly
 * once. Targets that are the unknown symbol are not scored (the model cannot name them); their number is reported
 * separately by the callers.
 */
public final class BitsPerChar {
    /** Pieces evaluated in parallel: many pieces make few sequential steps, which is what costs time here. */
    public static final int STREAMS = 128;
    /** Unscored characters each piece reads before its first scored one. */
    public static final int WARMUP = 100;
    /** Time steps per forward call. */
    public static final int CHUNK = 128;

    private BitsPerChar() {
    }

    /**
     * Result of scoring.
     *
     * @param bits  total bits over the scored characters
     * @param chars characters scored
     */
    public record Score(double bits, long chars) {
        /** Bits per character (NaN if nothing was scored). */
        public double bitsPerChar() {
            return chars == 0 ? Double.NaN : bits / chars;
        }
    }

    /** Scores {@code ids} under {@code net}; the network's stored state is cleared before and after. */
    public static Score score(MultiLayerNetwork net, int[] ids, int vocabSize, int unknownId) {
        int n = ids.length;
        if (n < 2) {
            return new Score(0, 0);
        }
        int targets = n - 1;
        int streams = Math.min(STREAMS, targets);
        int len = (targets + streams - 1) / streams;
        // piece s scores targets ids[first+1 .. first+count] and feeds ids[from .. first+count-1]
        int[] from = new int[streams];
        int[] skip = new int[streams];
        int[] feed = new int[streams];
        int longest = 0;
        for (int s = 0; s < streams; s++) {
            int first = s * len;
            int count = Math.max(0, Math.min(len, targets - first));
            from[s] = Math.max(0, first - WARMUP);
            skip[s] = first - from[s];
            feed[s] = count == 0 ? 0 : skip[s] + count;
            longest = Math.max(longest, feed[s]);
        }
        double nats = 0;
        long scored = 0;
        net.rnnClearPreviousState();
        try {
            for (int c0 = 0; c0 < longest; c0 += CHUNK) {
                int c = Math.min(CHUNK, longest - c0);
                int[][] in = new int[streams][c];
                for (int s = 0; s < streams; s++) {
                    for (int t = 0; t < c; t++) {
                        in[s][t] = c0 + t < feed[s] ? ids[from[s] + c0 + t] : -1;
                    }
                }
                INDArray out = net.rnnTimeStep(OneHot.of(in, vocabSize, c));
                float[] p = out.castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (int s = 0; s < streams; s++) {
                    for (int t = Math.max(0, skip[s] - c0); t < c && c0 + t < feed[s]; t++) {
                        int target = ids[from[s] + c0 + t + 1];
                        if (target == unknownId) {
                            continue;
                        }
                        float prob = p[(s * vocabSize + target) * c + t];
                        nats -= Math.log(Math.max(prob, 1e-30f));
                        scored++;
                    }
                }
            }
        } finally {
            net.rnnClearPreviousState();
        }
        return new Score(nats / Math.log(2), scored);
    }
}
