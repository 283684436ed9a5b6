package org.rnnsuite.speech;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.AtomicFiles;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.data.DataHash;
import org.rnnsuite.core.train.Networks;
import org.rnnsuite.core.train.Trainer;
import org.rnnsuite.core.train.TrainingResult;

/** The speech tasks: train, classify, stream and evaluate. Library code: returns results, prints only progress. */
public final class SpeechTask {
    private SpeechTask() {
    }

    /** Raw (unnormalized) features of clips with their label indices. */
    public record Features(List<float[][]> sequences, int[] labels, List<Utterance> utterances) {
    }

    /**
     * Result of a training run.
     *
     * @param training      the trainer's result (steps, losses, files)
     * @param validAccuracy accuracy of the saved model on the validation split (NaN if none)
     * @param test          evaluation of the saved model on the test split (null if none)
     * @param labels        classes
     * @param trainClips    clips in the training split
     * @param seconds       wall time of the whole run, feature extraction included
     */
    public record TrainResult(TrainingResult training, double validAccuracy, SpeechEvaluation test,
                              List<String> labels, int trainClips, double seconds) {
    }

    /** One classified file. */
    public record Prediction(String file, String label, Map<String, Double> probabilities) {
    }

    /**
     * The running decision on one file.
     *
     * @param file          the file
     * @param hopMs         time between frames, ms
     * @param labels        best label after each frame
     * @param confidence    its probability after each frame
     * @param settledFrame  first frame from which the decision equals the final one and stays (0-based)
     * @param realTimeFactor audio duration divided by wall-clock processing time (features + network); above 1 is
     *                       faster than real time
     * @param cpuRealTimeFactor audio duration divided by the CPU time of the processing thread: the real-time factor
     *                       on one otherwise idle core, robust to other load on a shared machine
     */
    public record StreamResult(String file, double hopMs, List<String> labels, double[] confidence, int settledFrame,
                               double realTimeFactor, double cpuRealTimeFactor) {
        public String finalLabel() {
            return labels.get(labels.size() - 1);
        }
    }

    /** Reads the clips and computes their features, in parallel across the available cores. */
    public static Features extract(List<Utterance> utts, List<String> labels, FeatureConfig fc) {
        return extract(utts, labels, fc, null, null, null);
    }

    /**
     * Noise mixed into one clip's audio before its features are computed ({@link SpeechDataBuilder#addNoise}).
     *
     * @param kind  white, pink or brown
     * @param snrDb signal-to-noise ratio over the speech
     * @param seed  the noise's random seed
     */
    record Noise(String kind, double snrDb, long seed) {
    }

    /**
     * Like {@link #extract(List, List, FeatureConfig)}, with clip {@code i}'s filterbank warped by
     * {@code warps[i]} (VTLP), its mel bands {@code bandMasks[i]} masked (see {@link Mfcc}) and {@code noises[i]}
     * mixed into its audio; {@code null} (the array or an element) means no warp, no mask, no noise.
     */
    static Features extract(List<Utterance> utts, List<String> labels, FeatureConfig fc, double[] warps,
                            boolean[][] bandMasks, Noise[] noises) {
        int[] y = labelIds(utts, labels);
        ThreadLocal<Mfcc> mfcc = ThreadLocal.withInitial(() -> new Mfcc(fc));
        List<float[][]> feats = IntStream.range(0, utts.size()).parallel()
                .mapToObj(i -> {
                    double warp = warps == null ? 1.0 : warps[i];
                    boolean[] mask = bandMasks == null ? null : bandMasks[i];
                    Mfcc m = warp == 1.0 && mask == null ? mfcc.get() : new Mfcc(fc, warp, mask);
                    float[] x = WavReader.read(utts.get(i).file(), fc.sampleRate(), fc.maxSeconds()).samples();
                    Noise n = noises == null ? null : noises[i];
                    if (n != null) {
                        x = SpeechDataBuilder.addNoise(x, fc.sampleRate(), n.kind(), n.snrDb(), n.seed());
                    }
                    return m.compute(x);
                })
                .toList();
        return new Features(feats, y, utts);
    }

    /** Each clip's class index in {@code labels}; throws naming a clip whose label is not there. */
    private static int[] labelIds(List<Utterance> utts, List<String> labels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] y = new int[utts.size()];
        for (int i = 0; i < utts.size(); i++) {
            Integer id = index.get(utts.get(i).label());
            if (id == null) {
                throw new UserInputException("clip " + utts.get(i).file() + " has label '" + utts.get(i).label()
                        + "', which the model does not know (known: " + String.join(", ", labels) + ")");
            }
            y[i] = id;
        }
        return y;
    }

    /**
     * The clips as the model classifies them ({@link SpeechModel#views}): {@code views.get(v).get(i)} is clip
     * {@code i}'s normalized features in view {@code v}, the unwarped first. Each file is read once for all its views.
     */
    static List<List<float[][]>> views(SpeechModel model, List<Path> files) {
        FeatureConfig fc = model.config().features();
        List<List<float[][]>> perClip = IntStream.range(0, files.size()).parallel()
                .mapToObj(i -> model.views(WavReader.read(files.get(i), fc.sampleRate(), fc.maxSeconds()).samples()))
                .toList();
        List<List<float[][]>> out = new ArrayList<>();
        for (int v = 0; v < model.config().augment().testWarps().length; v++) {
            List<float[][]> view = new ArrayList<>(files.size());
            for (List<float[][]> clip : perClip) {
                view.add(clip.get(v));
            }
            out.add(view);
        }
        return out;
    }

    private static List<Path> files(List<Utterance> utts) {
        return utts.stream().map(Utterance::file).toList();
    }

    private static List<float[][]> normalize(List<float[][]> seqs, Normalizer n) {
        List<float[][]> out = new ArrayList<>(seqs.size());
        for (float[][] s : seqs) {
            out.add(n.apply(s));
        }
        return out;
    }

    /** Trains on {@code dataDir}'s training split, validates on its valid split, and evaluates on its test split. */
    public static TrainResult train(Path dataDir, Path outDir, SpeechConfig cfg, PrintStream progress) {
        return train(dataDir, outDir, cfg, null, progress);
    }

    /**
     * Like {@link #train(Path, Path, SpeechConfig, PrintStream)}, or with {@code resumeDir} continues the run whose
     * checkpoint is there: its config, labels, normalizer, weights, optimizer state and data position; only
     * {@code trainer.maxSteps} is taken from {@code cfg}. The data must be the same (its hash is checked).
     */
    public static TrainResult train(Path dataDir, Path outDir, SpeechConfig cfg, Path resumeDir,
                                    PrintStream progress) {
        long t0 = System.nanoTime();
        ModelBundle checkpoint = null;
        if (resumeDir != null) {
            checkpoint = Trainer.checkpointToResume(resumeDir, SpeechModel.TASK, cfg.trainer().maxSteps());
            SpeechConfig stored = checkpoint.config(SpeechConfig.class);
            cfg = stored.withTrainer(stored.trainer().withMaxSteps(cfg.trainer().maxSteps()));
        }
        SpeechCorpus corpus = SpeechCorpus.scan(dataDir, cfg.data());
        List<String> labels = checkpoint != null ? SpeechModel.labelsOf(checkpoint) : corpus.labels();
        if (labels.size() < 2) {
            throw new UserInputException("dataset " + dataDir + " has " + labels.size() + " label folder(s) in its "
                    + "training split; a classifier needs at least 2");
        }
        say(progress, String.format(Locale.ROOT, "data: %d train / %d valid / %d test clips, %d classes",
                corpus.train().size(), corpus.valid().size(), corpus.test().size(), labels.size()));
        Features train = extract(corpus.train(), labels, cfg.features());
        Features valid = extract(corpus.valid(), labels, cfg.features());
        // fitted on the training split only: validation and test speakers must stay unseen
        Normalizer norm = checkpoint != null ? checkpoint.jsonArtifact(Normalizer.ARTIFACT, Normalizer.class)
                : Normalizer.fit(train.sequences());
        List<float[][]> trainX = normalize(train.sequences(), norm);
        List<float[][]> validX = normalize(valid.sequences(), norm);
        say(progress, String.format(Locale.ROOT, "features: %d values per frame, %.1f s", cfg.features().frameSize(),
                (System.nanoTime() - t0) / 1e9));
        List<Path> files = new ArrayList<>();
        corpus.train().forEach(u -> files.add(u.file()));
        String dataHash = DataHash.ofFiles(files);
        if (checkpoint != null && !dataHash.equals(checkpoint.provenance().dataHash())) {
            throw new UserInputException("cannot resume from " + resumeDir + ": the training clips in " + dataDir
                    + " differ from those the run started with");
        }

        MultiLayerNetwork net = checkpoint != null ? checkpoint.multiLayerNetwork()
                : SpeechModel.build(cfg, labels.size());
        SpeechModel model = new SpeechModel(net, cfg, norm, labels);
        List<List<float[][]>> versions = new ArrayList<>(List.of(trainX));
        SpeechAugmentConfig aug = cfg.augment();
        if (aug.enabled()) {
            // augmented copies, normalized with the statistics of the clean training features
            Random r = new Random(cfg.trainer().seed() * 31 + 17);
            Random fr = new Random(cfg.trainer().seed() * 131 + 71);
            // a source of its own, so that the warps and masks are those of a run without noise
            Random nr = new Random(cfg.trainer().seed() * 181 + 29);
            String[] kinds = {"white", "pink", "brown"};
            for (int k = 1; k < aug.copies(); k++) {
                double[] warps = new double[corpus.train().size()];
                boolean[][] masks = aug.frequencyMasking() ? new boolean[warps.length][] : null;
                Noise[] noises = aug.noise() > 0 ? new Noise[warps.length] : null;
                for (int i = 0; i < warps.length; i++) {
                    warps[i] = 1 + aug.vtlp() * (2 * r.nextDouble() - 1);
                    if (masks != null) {
                        masks[i] = bandMask(cfg.features().melBands(), aug.freqMasks(), aug.freqMaskBands(), fr);
                    }
                    if (noises != null && nr.nextDouble() < aug.noise()) {
                        String kind = kinds[nr.nextInt(kinds.length)];
                        double snr = aug.noiseSnr() + SpeechAugmentConfig.NOISE_SNR_SPAN * nr.nextDouble();
                        noises[i] = new Noise(kind, snr, nr.nextLong());
                    }
                }
                versions.add(normalize(extract(corpus.train(), labels, cfg.features(), warps, masks, noises)
                        .sequences(), norm));
            }
            say(progress, String.format(Locale.ROOT, "augment: %d copies per clip (VTLP +-%.0f %%, %d frequency "
                            + "masks of up to %d bands, %.0f %% with noise at %.0f-%.0f dB), %.1f s", aug.copies() - 1,
                    100 * aug.vtlp(), aug.frequencyMasking() ? aug.freqMasks() : 0, aug.freqMaskBands(),
                    100 * aug.noise(), aug.noiseSnr(), aug.noiseSnr() + SpeechAugmentConfig.NOISE_SNR_SPAN,
                    (System.nanoTime() - t0) / 1e9));
        }
        UtteranceBatchSource source = UtteranceBatchSource.withVersions(versions, train.labels(), labels.size(),
                cfg.data().batchSize(), cfg.model().readout(), cfg.trainer().seed());
        if (aug.timeMasking()) {
            source = source.withTimeMasks(aug.timeMasks(), aug.timeMaskFrames());
            say(progress, String.format(Locale.ROOT, "augment: %d time masks of up to %d frames per clip and epoch",
                    aug.timeMasks(), aug.timeMaskFrames()));
        }
        if (aug.labelSmoothing() > 0) {
            source = source.withLabelSmoothing(aug.labelSmoothing());
        }
        if (aug.mixup() > 0) {
            source = source.withMixup(aug.mixup());
            say(progress, String.format(Locale.ROOT, "augment: mixup, weights from Beta(%.2f, %.2f)", aug.mixup(),
                    aug.mixup()));
        }
        Trainer trainer = new Trainer(cfg.trainer(), outDir).lossUnit("nats/clip", 1.0).progressTo(progress);
        if (!validX.isEmpty()) {
            String readout = cfg.model().readout();
            List<String> validSpeakers = cfg.data().validationLoss().equals("speaker") ? speakers(corpus.valid())
                    : null;
            trainer.validator(n -> loss((MultiLayerNetwork) n, validX, valid.labels(), labels.size(), readout,
                    validSpeakers));
        }
        TrainingResult result = checkpoint != null
                ? trainer.resume(net, source, n -> model.bundle(n, dataHash), Trainer.stateOf(checkpoint))
                : trainer.fit(net, source, n -> model.bundle(n, dataHash));

        SpeechModel best = SpeechModel.load(result.model());
        double validAcc = validX.isEmpty() ? Double.NaN
                : evaluateViews(best, views(best, files(corpus.valid())), valid.labels(), null).accuracy();
        SpeechEvaluation test = null;
        if (!corpus.test().isEmpty()) {
            List<Utterance> t = corpus.test();
            test = evaluateViews(best, views(best, files(t)), labelIds(t, labels), speakers(t));
            writeEvaluation(test, outDir, "test", "Held-out speakers (test split)");
        }
        return new TrainResult(result, validAcc, test, labels, corpus.train().size(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * SpecAugment's frequency mask on {@code bands} mel bands: {@code masks} spans, each of a width drawn from
     * {@code 0..maxWidth} (less than half the bands) at a uniform start; null when nothing is masked.
     */
    static boolean[] bandMask(int bands, int masks, int maxWidth, Random r) {
        boolean[] m = new boolean[bands];
        boolean any = false;
        int widest = Math.min(maxWidth, (bands - 1) / 2);
        for (int k = 0; k < masks; k++) {
            int w = r.nextInt(widest + 1);
            int start = r.nextInt(bands - w + 1);
            for (int j = start; j < start + w; j++) {
                m[j] = true;
                any = true;
            }
        }
        for (boolean b : m) {
            if (!b) {
                return any ? m : null;
            }
        }
        return null; // nothing left to interpolate from: this copy stays unmasked
    }

    /**
     * Mean cross-entropy (nats) over labelled, normalized sequences: per clip, or, with {@code speakers} (one per
     * clip), the mean over speakers of each speaker's mean.
     */
    static double loss(MultiLayerNetwork net, List<float[][]> seqs, int[] y, int classes, String readout,
                       List<String> speakers) {
        if (speakers == null) {
            return loss(net, seqs, y, classes, readout);
        }
        Map<String, List<Integer>> clips = new TreeMap<>();
        for (int i = 0; i < seqs.size(); i++) {
            clips.computeIfAbsent(speakers.get(i), k -> new ArrayList<>()).add(i);
        }
        double sum = 0;
        for (List<Integer> idx : clips.values()) {
            List<float[][]> s = new ArrayList<>();
            int[] labels = new int[idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                s.add(seqs.get(idx.get(k)));
                labels[k] = y[idx.get(k)];
            }
            sum += loss(net, s, labels, classes, readout);
        }
        return sum / clips.size();
    }

    /** Mean cross-entropy per clip (nats) over labelled, normalized sequences. */
    public static double loss(MultiLayerNetwork net, List<float[][]> seqs, int[] y, int classes, String readout) {
        double sum = 0;
        for (int start = 0; start < seqs.size(); start += 64) {
            int end = Math.min(seqs.size(), start + 64);
            MultiDataSet b = SequenceBatches.batch(seqs.subList(start, end),
                    java.util.Arrays.copyOfRange(y, start, end), classes, readout);
            sum += net.score(Networks.toDataSet(b), false) * (end - start);
        }
        return sum / seqs.size();
    }

    /** Evaluates a model on normalized sequences. */
    public static SpeechEvaluation evaluate(SpeechModel model, List<float[][]> seqs, int[] y) {
        return evaluate(model, seqs, y, null);
    }

    /** Evaluates a model on normalized sequences, per speaker too when {@code speakers} (one per clip) is given. */
    public static SpeechEvaluation evaluate(SpeechModel model, List<float[][]> seqs, int[] y, List<String> speakers) {
        return evaluateViews(model, List.of(seqs), y, speakers);
    }

    /** {@link #evaluate(SpeechModel, List, int[], List)} of clips seen as several views (see {@link #views}). */
    static SpeechEvaluation evaluateViews(SpeechModel model, List<List<float[][]>> views, int[] y,
                                          List<String> speakers) {
        return SpeechEvaluation.ofProbabilities(model.labels(), y, model.probabilitiesOfViews(views), speakers);
    }

    private static List<String> speakers(List<Utterance> utts) {
        return utts.stream().map(Utterance::speaker).toList();
    }

    /**
     * Evaluates a model on a dataset folder: its {@code test} split when it has one, otherwise every clip of the
     * folder-per-label tree.
     */
    public static SpeechEvaluation evaluate(SpeechModel model, Path dataDir) {
        Path dir = Files.isDirectory(dataDir.resolve("test")) ? dataDir.resolve("test") : dataDir;
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("dataset folder " + dataDir + " does not exist");
        }
        List<Utterance> utts = SpeechCorpus.tree(dir);
        int[] y = labelIds(utts, model.labels());
        return evaluateViews(model, views(model, files(utts)), y, speakers(utts));
    }

    /**
     * What {@link #ensemble} made.
     *
     * @param model   the saved ensemble bundle
     * @param members networks averaged
     * @param test    evaluation on the dataset's test split (null without a dataset)
     */
    public record EnsembleResult(Path model, int members, SpeechEvaluation test) {
    }

    /**
     * Combines trained models (bundle files or run folders) into one ensemble bundle, {@code outDir/model.zip}, whose
     * class probabilities are the mean of the members'. The members must come from the same data (same data hash,
     * labels, features, normalizer) and architecture; typically runs that differ only in {@code trainer.seed}. With
     * {@code dataDir} (may be null) the ensemble is evaluated on its test split: {@code eval-test.json} and
     * {@code confusion-test.png} in {@code outDir}.
     */
    public static EnsembleResult ensemble(List<Path> models, Path outDir, Path dataDir) {
        return ensemble(models, outDir, dataDir, null);
    }

    /**
     * Like {@link #ensemble(List, Path, Path)}, with the ensemble's test-time warps set to {@code testWarp} (see
     * {@link SpeechAugmentConfig#testWarp()}); null keeps the first member's.
     */
    public static EnsembleResult ensemble(List<Path> models, Path outDir, Path dataDir, Double testWarp) {
        List<SpeechModel> members = new ArrayList<>();
        String dataHash = null;
        for (Path p : models) {
            ModelBundle bundle = ModelBundle.load(p, SpeechModel.TASK, false);
            String hash = bundle.provenance().dataHash();
            if (dataHash != null && !dataHash.equals(hash)) {
                throw new UserInputException("ensemble member " + p + " was trained on other data than "
                        + models.get(0) + " (data hash " + hash + " vs " + dataHash + ")");
            }
            dataHash = hash;
            members.add(SpeechModel.of(bundle, p));
        }
        SpeechModel e = SpeechModel.ensemble(members);
        if (testWarp != null) {
            try {
                e = e.withTestWarp(testWarp);
            } catch (IllegalArgumentException ex) {
                throw new UserInputException("--test-warp: " + ex.getMessage(), ex);
            }
        }
        Path file = outDir.resolve(ModelBundle.MODEL_FILE);
        try {
            Files.createDirectories(outDir);
            e.bundle(dataHash).save(file, false);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the ensemble to " + file, ex);
        }
        SpeechEvaluation test = null;
        if (dataDir != null) {
            test = evaluate(e, dataDir);
            writeEvaluation(test, outDir, "test", "Ensemble of " + e.members() + ", held-out speakers");
        }
        return new EnsembleResult(file, e.members(), test);
    }

    /** Writes {@code eval-NAME.json} and {@code confusion-NAME.png} into a folder. */
    public static void writeEvaluation(SpeechEvaluation e, Path dir, String name, String title) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("eval-" + name + ".json"),
                    org.rnnsuite.core.config.Configs.toJson(e.toJson()));
            ConfusionMatrixPlot.write(dir.resolve("confusion-" + name + ".png"), e, title);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write evaluation to " + dir, ex);
        }
    }

    /** Classifies WAV files. */
    public static List<Prediction> classify(SpeechModel model, List<Path> wavs) {
        double[][] p = model.probabilitiesOfViews(views(model, wavs));
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < wavs.size(); i++) {
            Map<String, Double> probs = new LinkedHashMap<>();
            for (int c = 0; c < model.labels().size(); c++) {
                probs.put(model.labels().get(c), p[i][c]);
            }
            out.add(new Prediction(wavs.get(i).toString(), model.labels().get(SpeechModel.argmax(p[i])), probs));
        }
        return out;
    }

    /**
     * Streams one file through the network's stored state, {@code chunk} frames per call, and reports the running
     * decision after every frame and the real-time factor.
     */
    public static StreamResult stream(SpeechModel model, Path wav, int chunk) {
        FeatureConfig fc = model.config().features();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Audio audio = WavReader.read(wav, fc.sampleRate(), fc.maxSeconds());
        double[][] p = model.streamViews(model.views(audio.samples()), chunk);
        double sec = (System.nanoTime() - t0) / 1e9;
        double cpuSec = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        List<String> labels = new ArrayList<>();
        double[] conf = new double[p.length];
        for (int t = 0; t < p.length; t++) {
            int best = SpeechModel.argmax(p[t]);
            labels.add(model.labels().get(best));
            conf[t] = p[t][best];
        }
        String fin = labels.get(labels.size() - 1);
        int settled = labels.size() - 1;
        while (settled > 0 && labels.get(settled - 1).equals(fin)) {
            settled--;
        }
        return new StreamResult(wav.toString(), fc.hopMs(), labels, conf, settled, audio.seconds() / sec,
                cpuSec > 0 ? audio.seconds() / cpuSec : Double.NaN);
    }

    private static void say(PrintStream progress, String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
