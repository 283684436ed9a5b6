package org.rnnsuite.captioning;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.data.DataHash;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.train.Trainer;
import org.rnnsuite.core.train.TrainingResult;

/** The captioning tasks the command line calls: build data, train, describe, evaluate. They return results. */
public final class CaptionTask {
    private CaptionTask() {
    }

    /**
     * Builds a synthetic scene dataset in the Flickr8k layout.
     *
     * @param sources folder made by {@code data/build-caption-sources.sh}, or null for plain shapes drawn in Java
     */
    public static SceneBuilder.Result buildData(Path out, long seed, int images, Path sources, int imageSize,
                                                double heldOutFraction) {
        ObjectLibrary lib = sources == null ? ObjectLibrary.shapes() : ObjectLibrary.fromSources(sources, 200);
        return new SceneBuilder(lib, imageSize, seed, heldOutFraction, 0.1, 5).build(out, images);
    }

    /**
     * What a training run produced.
     *
     * @param training    the trainer's result (model path, losses, throughput)
     * @param trainImages training images used
     * @param pairs       (image, caption) pairs per epoch
     * @param vocabulary  words in the vocabulary (specials included)
     * @param notes       what was skipped while reading the data, with counts
     */
    public record TrainReport(TrainingResult training, int trainImages, int pairs, int vocabulary,
                              List<String> notes) {
    }

    /** Trains a captioning model on the train split of {@code data}, validating on its val split. */
    public static TrainReport train(Path data, Path out, CaptionConfig cfg, PrintStream progress) {
        return train(data, out, cfg, null, progress);
    }

    /**
     * Trains, or with {@code resumeDir} continues the run whose checkpoint is there (its config, vocabulary,
     * weights, optimizer state and data position; only {@code trainer.maxSteps} is taken from {@code cfg}).
     */
    public static TrainReport train(Path data, Path out, CaptionConfig cfg, Path resumeDir, PrintStream progress) {
        ModelBundle checkpoint = null;
        if (resumeDir != null) {
            checkpoint = Trainer.checkpointToResume(resumeDir, Captioner.TASK, cfg.trainer().maxSteps());
            CaptionConfig stored = checkpoint.config(CaptionConfig.class);
            cfg = new CaptionConfig(stored.model(), stored.data(),
                    stored.trainer().withMaxSteps(cfg.trainer().maxSteps()));
        }
        final CaptionConfig config = cfg;
        CaptionDataset ds = CaptionDataset.load(data);
        List<String> notes = new ArrayList<>(ds.notes());
        CaptionModelConfig mc = cfg.model();
        ImageSet train = ImageSet.load(ds.split("train"), mc.imageSize(), cfg.data().maxTrainImages(), "train");
        notes.addAll(train.notes());
        ImageSet val = null;
        if (cfg.data().valImages() > 0) {
            if (ds.splitNames("val").isEmpty()) {
                notes.add("split 'val' of " + data + " is empty: no validation; model.zip is the last step");
            } else {
                val = ImageSet.load(ds.split("val"), mc.imageSize(), cfg.data().valImages(), "val");
                notes.addAll(val.notes());
            }
        }
        for (String n : notes) {
            if (progress != null) {
                progress.println("note: " + n);
            }
        }
        Vocabulary vocab = checkpoint != null ? checkpoint.jsonArtifact(Captioner.VOCAB, Vocabulary.class)
                : CaptionVocabulary.build(train.items(), cfg.data().minWordCount());
        long seed = cfg.trainer().seed();
        ComputationGraph net = checkpoint != null ? checkpoint.computationGraph()
                : CaptionModel.build(mc, vocab.size(), seed);
        CaptionBatchSource source = new CaptionBatchSource(train, vocab, mc, cfg.data().batchSize(), seed);
        if (source.truncatedCaptions() > 0) {
            notes.add(source.truncatedCaptions() + " training captions were cut to model.maxWords=" + mc.maxWords());
        }
        List<Path> hashed = new ArrayList<>();
        hashed.add(ds.captionFile());
        for (String s : CaptionDataset.SPLITS) {
            Path f = data.resolve(s + ".txt");
            if (Files.isRegularFile(f)) {
                hashed.add(f);
            }
        }
        String dataHash = DataHash.ofFiles(hashed);
        Trainer trainer = new Trainer(cfg.trainer(), out).lossUnit("nats/caption", 1.0).progressTo(progress);
        if (val != null) {
            List<MultiDataSet> valBatches = new CaptionBatchSource(val, vocab, mc, 64, seed).allBatches(64);
            trainer.validator(n -> validationLoss((ComputationGraph) n, valBatches));
        }
        Trainer.BundleMaker bundles = n -> ModelBundle.of(Captioner.TASK, n, config,
                Provenance.current(seed, dataHash)).withJsonArtifact(Captioner.VOCAB, vocab);
        TrainingResult r = checkpoint != null
                ? trainer.resume(net, source, bundles, Trainer.stateOf(checkpoint))
                : trainer.fit(net, source, bundles);
        return new TrainReport(r, train.size(), source.pairCount(), vocab.size(), List.copyOf(notes));
    }

    /** Mean loss per caption over fixed batches, in inference mode. */
    static double validationLoss(ComputationGraph net, List<MultiDataSet> batches) {
        double sum = 0;
        long n = 0;
        for (MultiDataSet b : batches) {
            long size = b.getFeatures(0).size(0);
            sum += net.score(b, false) * size;
            n += size;
        }
        net.rnnClearPreviousState();
        return sum / n;
    }

    /**
     * Captions of one image.
     *
     * @param image    the file
     * @param captions best first
     */
    public record Description(String image, List<Captioner.Caption> captions) {
    }

    /** The {@code beam} best captions of each image (beam 1 = greedy). */
    public static List<Description> describe(Path model, List<Path> images, int beam) {
        checkBeam(beam);
        if (images.isEmpty()) {
            throw new UserInputException("name at least one image to describe");
        }
        Captioner c = Captioner.load(model);
        List<Description> out = new ArrayList<>();
        for (Path p : images) {
            out.add(new Description(p.toString(), c.describe(p, beam)));
        }
        return out;
    }

    /** The image files (png, jpg, jpeg, gif, bmp) of a folder, sorted by name; throws if there is none. */
    public static List<Path> imagesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("image folder " + dir + " does not exist (run the demo from the "
                    + "repository root, or pass --images and --model)");
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|gif|bmp)")).sorted().toList();
            if (files.isEmpty()) {
                throw new UserInputException("image folder " + dir + " holds no PNG, JPEG, GIF or BMP file");
            }
            return files;
        } catch (IOException e) {
            throw new UserInputException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkBeam(int beam) {
        if (beam < 1 || beam > 100) {
            throw new UserInputException("--beam must be in 1..100, got " + beam);
        }
    }

    /**
     * Corpus BLEU of a model on a split.
     *
     * @param bleu1   BLEU-1 in [0, 1]
     * @param bleu2   BLEU-2
     * @param bleu3   BLEU-3
     * @param bleu4   BLEU-4
     * @param images  images captioned
     * @param beam    beam width used
     * @param seconds decoding time
     * @param gallery the HTML gallery written
     * @param notes   what was skipped, with counts
     */
    public record EvalReport(double bleu1, double bleu2, double bleu3, double bleu4, int images, int beam,
                             double seconds, Path gallery, List<String> notes) {
    }

    /**
     * Captions every image of {@code split} and scores the best caption against all references; writes an HTML
     * gallery of images with generated and reference captions to {@code gallery}.
     */
    public static EvalReport eval(Path model, Path data, String split, int beam, Path gallery, PrintStream progress) {
        checkBeam(beam);
        Captioner c = Captioner.load(model);
        CaptionDataset ds = CaptionDataset.load(data);
        List<String> notes = new ArrayList<>(ds.notes());
        ImageSet set = ImageSet.load(ds.split(split), c.config().model().imageSize(), 0, split);
        notes.addAll(set.notes());
        List<List<String>> hyps = new ArrayList<>();
        List<List<List<String>>> refs = new ArrayList<>();
        List<Gallery.Row> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        long lastPrint = t0;
        for (int i = 0; i < set.size(); i++) {
            List<Captioner.Caption> caps = c.describe(set.pixels().get(i), beam);
            Captioner.Caption best = caps.get(0);
            hyps.add(Captions.tokenize(best.text()));
            refs.add(set.items().get(i).tokenized());
            rows.add(new Gallery.Row(set.items().get(i).file(), caps, set.items().get(i).captions()));
            if (progress != null && System.nanoTime() - lastPrint > 10e9) {
                lastPrint = System.nanoTime();
                progress.printf(Locale.ROOT, "captioned %d/%d images%n", i + 1, set.size());
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double[] b = Bleu.corpus(hyps, refs, 4);
        EvalReport report = new EvalReport(b[0], b[1], b[2], b[3], set.size(), beam, sec, gallery, notes);
        try {
            Gallery.write(gallery, String.format(Locale.ROOT, "%s split of %s, beam %d: BLEU-1 %.3f, BLEU-4 %.3f, "
                    + "%d images", split, data, beam, b[0], b[3], set.size()), rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery " + gallery, e);
        }
        return report;
    }
}
