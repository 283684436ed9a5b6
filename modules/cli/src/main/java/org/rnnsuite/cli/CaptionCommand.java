package org.rnnsuite.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnsuite.captioning.CaptionConfig;
import org.rnnsuite.captioning.CaptionTask;
import org.rnnsuite.captioning.Captioner;
import org.rnnsuite.captioning.SceneBuilder;
import org.rnnsuite.captioning.StampSetBuilder;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.core.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnsuite caption <verb>}: image captioning (Show and Tell). */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Image captioning: build a scene dataset, train a CNN encoder + LSTM decoder, describe images, "
                + "evaluate BLEU.",
        subcommands = {CaptionCommand.BuildData.class, CaptionCommand.BuildStamps.class, CaptionCommand.Train.class, CaptionCommand.Describe.class,
            CaptionCommand.Eval.class, CaptionCommand.Demo.class})
final class CaptionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a verb: build-data, build-stamps, train, describe, eval or demo");
    }

    @Command(name = "build-data", mixinStandardHelpOptions = true,
            description = "Compose captioned scenes (Flickr8k layout: images/, captions.txt, train/val/test.txt). "
                    + "Objects come from --sources (made by data/build-caption-sources.sh) or, without it, are "
                    + "plain shapes.")
    static final class BuildData implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "Dataset directory to write.")
        Path out;
        @Option(names = "--seed", defaultValue = "1", description = "Seed of every choice (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--images", defaultValue = "6000", description = "Images to compose (default "
                + "${DEFAULT-VALUE}).")
        int images;
        @Option(names = "--sources", description = "Folder made by data/build-caption-sources.sh (emoji, MNIST).")
        Path sources;
        @Option(names = "--size", defaultValue = "64", description = "Image side in pixels (default "
                + "${DEFAULT-VALUE}).")
        int size;
        @Option(names = "--held-out", defaultValue = "0.08", description = "Fraction of ordered object pairs "
                + "held out of training for the test split (default ${DEFAULT-VALUE}).")
        double heldOut;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            if (images < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--images must be >= 1");
            }
            SceneBuilder.Result r = CaptionTask.buildData(out, seed, images, sources, size, heldOut);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %d images to %s: train %d, val %d, test %d (%d held-out pairs)%n",
                    r.scenes().size(), out, r.perSplit().get("train"), r.perSplit().get("val"),
                    r.perSplit().get("test"), r.heldOut().size());
            pw.flush();
            return 0;
        }
    }

    @Command(name = "build-stamps", mixinStandardHelpOptions = true,
            description = "Write the Tux Paint stamps with their human captions as a small dataset (Flickr8k "
                    + "layout); --sources is the folder made by data/build-caption-sources.sh.")
    static final class BuildStamps implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "Dataset directory to write.")
        Path out;
        @Option(names = "--sources", required = true, description = "Folder made by data/build-caption-sources.sh.")
        Path sources;
        @Option(names = "--seed", defaultValue = "1", description = "Seed of the split (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            StampSetBuilder.Result r = StampSetBuilder.build(sources, out, seed);
            PrintWriter pw = spec.commandLine().getOut();
            for (String n : r.notes()) {
                pw.println("note: " + n);
            }
            pw.printf(Locale.ROOT, "wrote %d captioned stamps to %s: train %d, val %d, test %d%n", r.images(), out,
                    r.perSplit().get("train"), r.perSplit().get("val"), r.perSplit().get("test"));
            pw.flush();
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train on the train split of a Flickr8k-layout dataset, validating on its val split.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--data", required = true, description = "Dataset directory (Flickr8k layout).")
        Path data;
        @Option(names = "--out", required = true, description = "Output directory: model.zip, checkpoint.zip, "
                + "metrics.csv, loss.png.")
        Path out;
        @CommandLine.Mixin
        RunConfigOptions run = new RunConfigOptions();
        @Option(names = "--resume", description = "Continue the run whose checkpoint.zip is in this directory "
                + "(its config and vocabulary are kept).")
        Path resume;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            CaptionConfig cfg = run.load(CaptionConfig.class, CaptionConfig.defaults());
            Integer maxSteps = run.maxSteps();
            if (maxSteps != null) {
                TrainerConfig t = cfg.trainer().withMaxSteps(maxSteps);
                cfg = new CaptionConfig(cfg.model(), cfg.data(), t);
            }
            CaptionTask.TrainReport r = CaptionTask.train(data, out, cfg, resume, System.err);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "trained %d steps on %d images (%d captions, %d words): final loss %.4f "
                            + "nats/caption, best validation %.4f at step %d, %.1f captions/s%nmodel: %s%n",
                    r.training().steps(), r.trainImages(), r.pairs(), r.vocabulary(), r.training().finalTrainLoss(),
                    r.training().bestValidation(), r.training().bestStep(), r.training().itemsPerSec(),
                    r.training().model());
            pw.flush();
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Caption images: the best caption per image, or with --beam K the K best with their "
                    + "log-probabilities.")
    static final class Describe implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", required = true, description = "Model directory or bundle file.")
        Path model;
        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, GIF, BMP).")
        List<Path> images;
        @Option(names = "--beam", defaultValue = "1", description = "Beam width; 1 = greedy (default "
                + "${DEFAULT-VALUE}).")
        int beam;
        @Option(names = "--json", description = "Print [{\"image\":..., \"captions\":[{\"text\":..., "
                + "\"logprob\":...}]}].")
        boolean json;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            List<CaptionTask.Description> ds = CaptionTask.describe(model, images, beam);
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                ArrayNode arr = Configs.mapper().createArrayNode();
                for (CaptionTask.Description d : ds) {
                    ObjectNode o = arr.addObject();
                    o.put("image", d.image());
                    ArrayNode caps = o.putArray("captions");
                    for (Captioner.Caption c : d.captions()) {
                        caps.addObject().put("text", c.text()).put("logprob", c.logprob());
                    }
                }
                pw.println(Configs.toJson(arr));
            } else {
                for (CaptionTask.Description d : ds) {
                    if (beam == 1) {
                        pw.println(d.image() + "\t" + d.captions().get(0).text());
                    } else {
                        pw.println(d.image());
                        for (Captioner.Caption c : d.captions()) {
                            pw.printf(Locale.ROOT, "  %8.3f  %s%n", c.logprob(), c.text());
                        }
                    }
                }
            }
            pw.flush();
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Corpus BLEU-1..4 of the best caption against all references of a split; writes an HTML "
                    + "gallery of the images with generated and reference captions.")
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", required = true, description = "Model directory or bundle file.")
        Path model;
        @Option(names = "--data", required = true, description = "Dataset directory (Flickr8k layout).")
        Path data;
        @Option(names = "--split", defaultValue = "test", description = "train, val or test (default "
                + "${DEFAULT-VALUE}).")
        String split;
        @Option(names = "--beam", defaultValue = "3", description = "Beam width; 1 = greedy (default "
                + "${DEFAULT-VALUE}).")
        int beam;
        @Option(names = "--gallery", description = "HTML gallery to write (default: gallery-SPLIT.html in the "
                + "model directory).")
        Path gallery;
        @Option(names = "--json", description = "Print {\"bleu1\":..,\"bleu2\":..,\"bleu3\":..,\"bleu4\":..,"
                + "\"images\":N}.")
        boolean json;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            Path g = gallery != null ? gallery : (java.nio.file.Files.isDirectory(model) ? model
                    : model.toAbsolutePath().getParent()).resolve("gallery-" + split + ".html");
            CaptionTask.EvalReport r = CaptionTask.eval(model, data, split, beam, g, System.err);
            PrintWriter pw = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = Configs.mapper().createObjectNode();
                o.put("bleu1", r.bleu1()).put("bleu2", r.bleu2()).put("bleu3", r.bleu3()).put("bleu4", r.bleu4())
                        .put("images", r.images());
                pw.println(Configs.toJson(o));
            } else {
                for (String n : r.notes()) {
                    pw.println("note: " + n);
                }
                pw.printf(Locale.ROOT, "%s split, %d images, beam %d: BLEU-1 %.4f  BLEU-2 %.4f  BLEU-3 %.4f  "
                                + "BLEU-4 %.4f (%.1f s)%ngallery: %s%n", split, r.images(), r.beam(), r.bleu1(),
                        r.bleu2(), r.bleu3(), r.bleu4(), r.seconds(), r.gallery());
            }
            pw.flush();
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Caption the shipped sample images with the shipped model (run from the repository root).")
    static final class Demo implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", defaultValue = "data/models/caption-small", description = "Model (default "
                + "${DEFAULT-VALUE}).")
        Path model;
        @Option(names = "--images", defaultValue = "data/caption-samples", description = "Folder of images "
                + "(default ${DEFAULT-VALUE}).")
        Path images;
        @Option(names = "--beam", defaultValue = "3", description = "Beam width (default ${DEFAULT-VALUE}).")
        int beam;

        @Override
        public Integer call() {
            ThreadSettings.applyDefaults();
            List<Path> files = CaptionTask.imagesIn(images);
            PrintWriter pw = spec.commandLine().getOut();
            for (CaptionTask.Description d : CaptionTask.describe(model, files, beam)) {
                pw.printf(Locale.ROOT, "%-28s %s  (log p %.2f)%n", Path.of(d.image()).getFileName(),
                        d.captions().get(0).text(), d.captions().get(0).logprob());
            }
            pw.flush();
            return 0;
        }
    }
}
