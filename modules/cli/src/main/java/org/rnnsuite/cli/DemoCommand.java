package org.rnnsuite.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnsuite.captioning.CaptionTask;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.charlm.CharLmTask;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.data.RepoFiles;
import org.rnnsuite.core.hw.BackendReport;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.core.sample.SamplingConfig;
import org.rnnsuite.core.train.TrainerConfig;
import org.rnnsuite.core.train.TrainingResult;
import org.rnnsuite.speech.SpeechModel;
import org.rnnsuite.speech.SpeechTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnnsuite demo}: a tour in one command. The backend in use, text streamed from the shipped char-LM,
 * captions from the shipped captioning model, spoken digits from the shipped speech model, and a tiny char-LM
 * training run with progress and a loss curve.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A tour: backend, text from the shipped char-LM, captions of sample images, spoken digits "
                + "from sample recordings, and a tiny training run (about a minute on 2 cores).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "Where the training run writes "
            + "(default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--steps", defaultValue = "60", description = "Steps of the tiny training run "
            + "(default: ${DEFAULT-VALUE}).")
    int steps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static Path home(String relative) {
        return RepoFiles.find(relative);
    }

    @Override
    public Integer call() throws Exception {
        ThreadSettings.applyDefaults();
        PrintWriter o = spec.commandLine().getOut();
        Map<String, String> hw = BackendReport.collect();
        o.printf("== rnnsuite %s on %s, %s, BLAS %s, %s OpenMP thread(s), Java %s%n", hw.get("rnnsuite"),
                hw.get("backend"), hw.get("device 0"), hw.get("blas"), hw.get("omp threads"), hw.get("java"));

        Path charlm = home("data/models/charlm");
        if (Files.exists(ModelBundle.resolve(charlm))) {
            ModelBundle bundle = CharLmTask.load(charlm);
            o.printf("%n== Text from the shipped character language model (%s, temperature 0.8)%n",
                    charlm);
            String prime = "The whale";
            o.print(prime);
            o.flush();
            CharLmTask.sample(bundle, prime, 400, new SamplingConfig(0.8, 0, 1), c -> {
                o.print(c);
                o.flush();
            });
            o.println();
        } else {
            o.printf("%n(no shipped char-LM at %s)%n", charlm);
        }

        Path caption = home("data/models/caption-small");
        Path samples = home("data/caption-samples");
        if (Files.exists(ModelBundle.resolve(caption)) && Files.isDirectory(samples)) {
            o.printf("%n== Captions from the shipped captioning model (%s, beam 3)%n", caption);
            for (CaptionTask.Description d : CaptionTask.describe(caption, CaptionTask.imagesIn(samples), 3)) {
                o.printf(Locale.ROOT, "%-28s %s%n", Path.of(d.image()).getFileName(), d.captions().get(0).text());
            }
        }

        Path speech = home("data/models/speech-digits");
        Path wavs = home("data/samples/speech");
        if (Files.exists(ModelBundle.resolve(speech)) && Files.isDirectory(wavs)) {
            o.printf("%n== Spoken digits from the shipped speech model (%s; held-out voices)%n", speech);
            List<Path> files;
            try (var s = Files.list(wavs)) {
                files = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
            }
            for (SpeechTask.Prediction p : SpeechTask.classify(SpeechModel.load(speech), files)) {
                o.printf(Locale.ROOT, "%-28s -> %-6s (p %.2f)%n", Path.of(p.file()).getFileName(), p.label(),
                        p.probabilities().get(p.label()));
            }
        }

        o.printf("%n== A tiny training run: 1x64 LSTM on the first 60,000 characters of Moby-Dick, %d steps%n", steps);
        o.flush();
        Files.createDirectories(out);
        Path text = out.resolve("moby-dick-60k.txt");
        String moby = Files.readString(home("data/text/moby-dick.txt"), StandardCharsets.UTF_8);
        Files.writeString(text, moby.substring(0, Math.min(60_000, moby.length())), StandardCharsets.UTF_8);
        TrainerConfig t = TrainerConfig.defaults();
        CharLmConfig cfg = new CharLmConfig(new CharLmConfig.ModelConfig("lstm", 1, 64, 0),
                new CharLmConfig.DataConfig(64, 32, 0.05),
                new TrainerConfig("adam", 0.01, t.momentum(), "constant", 1, 1, "l2", 5.0, 64, steps,
                        Math.max(1, steps / 3), 0, 0, 1, 5));
        TrainingResult r = CharLmTask.train(List.of(text), cfg, out.resolve("charlm-tiny"), System.err);
        o.printf(Locale.ROOT, "validation %.3f bits/char after %d steps (untrained: %.2f); %,.0f chars/s%n",
                r.bestValidation(), r.steps(),
                r.history().get(0).valLoss(), r.itemsPerSec());
        o.printf("curve: %s, model: %s%n", out.resolve("charlm-tiny/loss.png"), r.model());
        o.flush();
        return 0;
    }
}
