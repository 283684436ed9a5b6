package org.rnnsuite.bench;

import java.util.List;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.config.Check;

/**
 * How much of each benchmark to run. Both systems always run the same steps, repeats and characters.
 *
 * @param cells         recurrent cells of the char-LM rows, each {@code lstm} or {@code gru} (the peer's cells)
 *                      (default both)
 * @param sizes         char-LM training sizes, each {@code small} (1x128, batch 32), {@code medium} (2x256, batch 32)
 *                      or {@code large} (2x512, batch 64) (default all three)
 * @param seqLength     characters per training sequence and TBPTT segment, 8..512 (default 64)
 * @param warmupSteps   untimed training steps before the timed ones, per system and model, 0..100 (default 5:
 *                      the JVM compiles the step loops during the first steps; with 2, rnnsuite's first timed
 *                      run of the first model was still 0.55-0.65x of its later ones)
 * @param timedSteps    training steps per timed run, 1..1000 (default 8; char-LM sizes multiply it, see
 *                      {@link Size#timedStepFactor})
 * @param repeats       timed runs per system and model, alternating between the systems, 1..100 (default 5)
 * @param sampleWarmup  untimed generated characters before the timed ones, 0..10000 (default 5000: both systems
 *                      are timed warmed up, as when generating text, not while the JVM still compiles the step:
 *                      after 500 characters rnnsuite ran at 0.6-0.7x of its warm speed, after 2000 the LSTM's
 *                      first timed run was still ~1.5x slower than its later ones)
 * @param sampleChars   timed generated characters per run, 1..100000 (default 400)
 * @param sgemmSize     matrix size n of the n x n matrix-multiply peak, 64..8192 (default 1024)
 * @param sgemmReps     timed matrix products per system, 1..1000 (default 11)
 * @param qualitySteps  training steps of the small LSTM before comparing validation bits/char; 0 skips the row,
 *                      0..100000 (default 300)
 * @param peerThreads   PyTorch threads, 1..64 (default 1: its fastest setting on 2 cores for the small and
 *                      medium models; with 2 threads it trains the large ones ~1.4x faster, see the bench README)
 * @param speech        also run the speech rows (training throughput of the default classifier, streaming
 *                      real-time factor) (default true)
 * @param captioning    also run the captioning training-throughput row (default true)
 */
public record BenchConfig(List<String> cells, List<String> sizes, int seqLength, int warmupSteps, int timedSteps,
                          int repeats, int sampleWarmup, int sampleChars, int sgemmSize, int sgemmReps,
                          int qualitySteps, int peerThreads, boolean speech,
                          boolean captioning) {

    /** The peer implements these cells. */
    public static final List<String> PEER_CELLS = List.of("lstm", "gru");
    /** The char-LM training sizes. */
    public static final List<String> SIZES = List.of("small", "medium", "large");

    public BenchConfig {
        cells = List.copyOf(cells);
        sizes = List.copyOf(sizes);
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("cells: name at least one of " + PEER_CELLS);
        }
        for (String c : cells) {
            CellType.parse(c);
            Check.oneOf("cells", c, PEER_CELLS.toArray(String[]::new));
        }
        for (String s : sizes) {
            Check.oneOf("sizes", s, SIZES.toArray(String[]::new));
        }
        Check.range("seqLength", seqLength, 8, 512);
        Check.range("warmupSteps", warmupSteps, 0, 100);
        Check.range("timedSteps", timedSteps, 1, 1000);
        Check.range("repeats", repeats, 1, 100);
        Check.range("sampleWarmup", sampleWarmup, 0, 10_000);
        Check.range("sampleChars", sampleChars, 1, 100_000);
        Check.range("sgemmSize", sgemmSize, 64, 8192);
        Check.range("sgemmReps", sgemmReps, 1, 1000);
        Check.range("qualitySteps", qualitySteps, 0, 100_000);
        Check.range("peerThreads", peerThreads, 1, 64);
    }

    /** The full benchmark (about 10 minutes on an idle 2-core machine). */
    public static BenchConfig defaults() {
        return new BenchConfig(PEER_CELLS, SIZES, 64, 5, 8, 5, 5000, 400, 1024, 11, 300, 1, true, true);
    }

    /** The reduced run of {@code --quick} (a few minutes on 2 cores): fewer steps, repeats and characters. */
    public static BenchConfig quick() {
        return new BenchConfig(PEER_CELLS, SIZES, 64, 3, 2, 3, 5000, 100, 1024, 5, 30, 1, true, true);
    }

    /** Layers, hidden units and batch size of a training size. */
    public record Size(String name, int layers, int hidden, int batch) {
        /** {@code 2x256 b32}. */
        public String label() {
            return layers + "x" + hidden + " b" + batch;
        }

        /**
         * Timed steps of this size per {@code timedSteps}: 4 for small, 2 for medium, 1 for large, so that a timed
         * run of each lasts about as long (a small model's 8 steps took a quarter of a second, exposed to the
         * machine's second-to-second noise).
         */
        public int timedStepFactor() {
            return switch (name) {
                case "small" -> 4;
                case "medium" -> 2;
                default -> 1;
            };
        }
    }

    /** The shape behind a size name. */
    public static Size size(String name) {
        return switch (name) {
            case "small" -> new Size(name, 1, 128, 32);
            case "medium" -> new Size(name, 2, 256, 32);
            case "large" -> new Size(name, 2, 512, 64);
            default -> throw new IllegalArgumentException("sizes: expected one of " + SIZES + ", got " + name);
        };
    }
}
