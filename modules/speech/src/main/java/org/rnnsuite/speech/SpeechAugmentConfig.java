package org.rnnsuite.speech;

import org.rnnsuite.core.config.Check;

/**
 * Augmentation of the training split's features, on top of what the dataset builder put into the audio; and,
 * optionally, of every clip the model classifies ({@code testWarp}). Otherwise validation and test clips, and every
 * clip a saved model classifies, are not augmented.
 *
 * <p>Vocal tract length perturbation (VTLP, Jaitly and Hinton 2013): each training clip gets {@code copies}
 * feature versions, the first unwarped and the others with the mel filterbank's frequencies scaled by a factor
 * drawn uniformly from {@code [1 - vtlp, 1 + vtlp]} (piecewise linear, so the band edge stays put). A shorter vocal
 * tract (a woman's, a child's) moves every formant up by roughly one factor, so this teaches the classifier to
 * recognise a word across speakers it has not heard, without changing the pitch as a resampled recording would.
 * Each epoch draws one version per clip.
 *
 * <p>SpecAugment-style masking (Park et al. 2019), aimed at the same overfitting to the training voices: a
 * classifier that may not rely on any one stretch of the clip, nor on any one part of the spectrum, has to use
 * the whole word. <em>Frequency masks</em> act on the log mel filterbank of the augmented copies, before the DCT:
 * up to {@code freqMasks} spans of up to {@code freqMaskBands} adjacent bands are replaced, in every frame, by the
 * straight line between the bands either side of the span, which flattens any formant peak there as a band-limited
 * or unusually equalized channel would, while the frame's level stays. They are drawn once per copy (the copies
 * are computed before training), so they need {@code copies > 1}; the first copy always stays clean.
 * <em>Time masks</em> act on the normalized features whenever a batch is drawn, so every epoch sees fresh ones:
 * up to {@code timeMasks} spans of up to {@code timeMaskFrames} frames (each at most a fifth of the clip) are set to
 * 0, the training mean. They are a function of (trainer seed, epoch, clip), so runs repeat and resume exactly.
 *
 * <p>Measured on an earlier build of the spoken-digit data (6,000 clips, before the drawn and accented training
 * speakers; {@code configs/speech-digits.json} of then: GRU 2x128, 40 mel bands every 20 ms, 1000 steps, VTLP +-15 %
 * with 4 copies; validation 720 clips of 9 voices, test 1200 clips of 17 held-out voices), as validation / test
 * accuracy, each the mean over trainer seeds 12345 and 2 against the same seeds without masks (94.4 % / 94.5 %):
 * <ul>
 * <li>2 time masks of up to 8 frames: 93.6 % / 93.3 %; 1 of up to 5 frames (seed 12345 only): 93.9 % / 93.9 %
 *     against 95.0 % / 93.75 %. They do regularize (after its best step the validation loss rose from 0.19 to
 *     0.25 instead of 0.30), but the best checkpoint was no better;</li>
 * <li>2 frequency masks of up to 6 bands: 92.7 % / 94.8 %: lower on validation; on test the espeak voice shelby
 *     gained with both seeds (63 -> 70 %, 68 -> 80 %), slt via flite with one (91 -> 95 %), slt via festival HTS
 *     lost with both (66 -> 58 %, 78 -> 76 %); seed 2 gave the best test figure of all runs, 96.1 %, seed 3
 *     91.7 % / 93.0 % against 92.8 % / 93.3 % without (over the three seeds: validation 92.4 % against 93.9 %,
 *     test 94.2 % against 94.1 %);</li>
 * <li>both: 93.4 % / 93.9 %; both with 1500 steps (seed 12345): 92.5 % / 94.0 %;</li>
 * <li>label smoothing 0.1: 93.8 % / 94.1 %.</li>
 * </ul>
 * None raised validation accuracy, by which the setting is chosen, so {@link #defaults()} leaves them off. The
 * seed alone moves the test accuracy by 2 points (93.3-95.3 %), mostly through one voice (slt via festival HTS:
 * 56-78 % across the runs).
 *
 * @param vtlp           largest relative warp; 0 disables VTLP; 0..0.3 (default 0.15)
 * @param copies         feature versions per training clip, the first clean; 1..8 (default 4; 1 disables VTLP
 *                       and frequency masks). On the spoken-digit data with the 2x128 GRU, 4 copies raised
 *                       held-out accuracy from 93.00 % to 93.75 % and validation accuracy from 91.9 % to 95.0 %;
 *                       they cost three more feature passes and three times the training split's feature memory
 * @param timeMasks      time masks per training clip and epoch; 0..8 (default 0, which disables them; absent in
 *                       models saved before it existed, which read as 0)
 * @param timeMaskFrames longest time mask, in frames (20 ms each at the default hop); 0..50 (default 8)
 * @param freqMasks      frequency masks per augmented copy; 0..4 (default 0; absent in older models: 0)
 * @param freqMaskBands  widest frequency mask, in mel bands; 0..20 (default 6)
 * @param labelSmoothing share of each training target spread evenly over all classes (Szegedy et al. 2016), so
 *                       the network is not pushed towards ever more confident outputs on the training voices;
 *                       0..0.3 (default 0; absent in older models: 0). Validation loss stays plain cross-entropy
 * @param testWarp       test-time VTLP: every clip the model classifies (evaluation, {@code classify}, streaming) is
 *                       also seen with its filterbank warped by {@code 1 - testWarp} and {@code 1 + testWarp}, and
 *                       the class probabilities of the three views are averaged, so a voice between the training
 *                       voices is met half-way; it costs three feature and network passes instead of one. 0 disables
 *                       it; 0..0.3 (default 0.1; absent in older models: 0). Training and its validation loss never use
 *                       it. Chosen on the validation split of the spoken-digit data (720 clips, nine members of the
 *                       shipped ensemble): 0.1 raised the members from 94.54 % to 95.26 % on average (each gained)
 *                       and their ensemble from 97.08 % to 97.64 %; on the test split (1,200 clips) ten members
 *                       gained 0.31 points on average and their ensemble lost 0.25 (96.75 % to 96.50 %)
 * @param mixup          mixup (Zhang et al. 2018): each training clip of a batch is mixed with another clip of the
 *                       same batch, features {@code l * a + (1 - l) * b} and targets likewise, with {@code l} drawn
 *                       from Beta(mixup, mixup) and folded to {@code l >= 0.5} so the clip keeps its own length and
 *                       mostly its own word; a network that must give a mixture's share to each word cannot be
 *                       certain of a word from one cue. 0 disables it; 0..1 (default 0; absent in older models: 0).
 *                       On the spoken digits (the shipped configuration, ten trainer seeds) 0.2 raised the members
 *                       (validation 90.73 % against 90.48 % on average, held-out test 95.56 % against 94.90 %) but
 *                       not their ensemble (validation 92.71 % against 93.33 %, test 96.33 % against 96.50 %); 0.4
 *                       (two seeds) gained on test only
 * @param noise          share of the augmented copies (all but the first, clean one) whose audio gets further noise
 *                       before its features are computed: white, pink or brown, fresh for every copy, at a
 *                       signal-to-noise ratio drawn uniformly from {@code [noiseSnr, noiseSnr + 20]} dB over the
 *                       speech. The dataset builder mixes noise into a clip once, at one of none / 30 / 20 / 10 /
 *                       5 dB; this puts more of each training clip's versions under heavy noise, where weak
 *                       consonants (the /s/ and /ks/ of "six", the /f/ of "four", the /t/ of "two") are the first
 *                       cues lost. 0 disables it; 0..1 (default 0; absent in older models: 0). On the spoken
 *                       digits (the shipped configuration, ten trainer seeds) 0.5 with {@code noiseSnr} 0 raised the
 *                       members most of all options on held-out test voices (96.04 % against 94.90 % on average;
 *                       validation 90.69 % against 90.48 %) and their ensemble to 96.92 % on test, but not on
 *                       validation (92.92 % against 93.33 %), by which the setting is chosen; with 1,500 steps
 *                       instead of 1,000 their ensemble scored 94.27 % on validation (test 96.83 %), and that is
 *                       the shipped model ({@code configs/speech-digits.json} sets 0.5; the default here stays 0, so
 *                       a configuration that does not name it trains as before)
 * @param noiseSnr       lowest signal-to-noise ratio of that noise, dB; -10..30 (default 0)
 */
public record SpeechAugmentConfig(double vtlp, int copies, Integer timeMasks, Integer timeMaskFrames,
                                  Integer freqMasks, Integer freqMaskBands, Double labelSmoothing, Double testWarp,
                                  Double mixup, Double noise, Double noiseSnr) {
    /** Width in dB of the range {@code [noiseSnr, noiseSnr + NOISE_SNR_SPAN]} the copies' noise levels come from. */
    public static final double NOISE_SNR_SPAN = 20;

    public SpeechAugmentConfig {
        // bundles saved before masking existed lack these fields: they were trained without it
        timeMasks = timeMasks == null ? 0 : timeMasks;
        timeMaskFrames = timeMaskFrames == null ? 0 : timeMaskFrames;
        freqMasks = freqMasks == null ? 0 : freqMasks;
        freqMaskBands = freqMaskBands == null ? 0 : freqMaskBands;
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        testWarp = testWarp == null ? 0.0 : testWarp;
        mixup = mixup == null ? 0.0 : mixup;
        noise = noise == null ? 0.0 : noise;
        noiseSnr = noiseSnr == null ? 0.0 : noiseSnr;
        Check.range("augment.vtlp", vtlp, 0, 0.3);
        Check.range("augment.copies", copies, 1, 8);
        Check.range("augment.timeMasks", timeMasks, 0, 8);
        Check.range("augment.timeMaskFrames", timeMaskFrames, 0, 50);
        Check.range("augment.freqMasks", freqMasks, 0, 4);
        Check.range("augment.freqMaskBands", freqMaskBands, 0, 20);
        Check.range("augment.labelSmoothing", labelSmoothing, 0, 0.3);
        Check.range("augment.testWarp", testWarp, 0, 0.3);
        Check.range("augment.mixup", mixup, 0, 1);
        Check.range("augment.noise", noise, 0, 1);
        Check.range("augment.noiseSnr", noiseSnr, -10, 30);
    }

    /** Without further noise on the augmented copies. */
    public SpeechAugmentConfig(double vtlp, int copies, Integer timeMasks, Integer timeMaskFrames, Integer freqMasks,
                               Integer freqMaskBands, Double labelSmoothing, Double testWarp, Double mixup) {
        this(vtlp, copies, timeMasks, timeMaskFrames, freqMasks, freqMaskBands, labelSmoothing, testWarp, mixup, 0.0,
                0.0);
    }

    /** Without mixup. */
    public SpeechAugmentConfig(double vtlp, int copies, Integer timeMasks, Integer timeMaskFrames, Integer freqMasks,
                               Integer freqMaskBands, Double labelSmoothing, Double testWarp) {
        this(vtlp, copies, timeMasks, timeMaskFrames, freqMasks, freqMaskBands, labelSmoothing, testWarp, 0.0);
    }

    /** Without test-time warps. */
    public SpeechAugmentConfig(double vtlp, int copies, Integer timeMasks, Integer timeMaskFrames, Integer freqMasks,
                               Integer freqMaskBands, Double labelSmoothing) {
        this(vtlp, copies, timeMasks, timeMaskFrames, freqMasks, freqMaskBands, labelSmoothing, 0.0);
    }

    /** VTLP only, without masks. */
    public SpeechAugmentConfig(double vtlp, int copies) {
        this(vtlp, copies, 0, 0, 0, 0, 0.0);
    }

    /**
     * The measured best setting on the spoken-digit data: VTLP +-15 % with 4 copies, no masks, no label smoothing
     * (the masks' widths are set, so enabling them takes one option), test-time warps of +-10 %.
     */
    public static SpeechAugmentConfig defaults() {
        return new SpeechAugmentConfig(0.15, 4, 0, 8, 0, 6, 0.0, 0.1, 0.0, 0.0, 0.0);
    }

    /** No augmentation: what models saved before this option existed were trained with. */
    public static SpeechAugmentConfig none() {
        return new SpeechAugmentConfig(0, 1);
    }

    /** Whether training clips get augmented copies (warped, frequency-masked and/or noisier). */
    public boolean enabled() {
        return copies > 1 && (vtlp > 0 || frequencyMasking() || noise > 0);
    }

    /** Whether the augmented copies get frequency masks. */
    public boolean frequencyMasking() {
        return freqMasks > 0 && freqMaskBands > 0;
    }

    /** The filterbank warps each classified clip is seen with: {@code [1]}, or {@code [1, 1 - w, 1 + w]}. */
    public double[] testWarps() {
        return testWarp > 0 ? new double[] {1, 1 - testWarp, 1 + testWarp} : new double[] {1};
    }

    /** The same with {@code testWarp} set to {@code w}. */
    public SpeechAugmentConfig withTestWarp(double w) {
        return new SpeechAugmentConfig(vtlp, copies, timeMasks, timeMaskFrames, freqMasks, freqMaskBands,
                labelSmoothing, w, mixup, noise, noiseSnr);
    }

    /** Whether training batches get time masks. */
    public boolean timeMasking() {
        return timeMasks > 0 && timeMaskFrames > 0;
    }
}
