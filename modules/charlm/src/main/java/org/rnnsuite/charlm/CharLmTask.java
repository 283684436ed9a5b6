package org.rnnsuite.charlm;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.cells.NetworkStepper;
import org.rnnsuite.core.data.Vocabulary;
import org.rnnsuite.core.sample.CategoricalSampler;
import org.rnnsuite.core.sample.SamplingConfig;
import org.rnnsuite.core.train.Trainer;
import org.rnnsuite.core.train.TrainerState;
import org.rnnsuite.core.train.TrainingResult;

/** The character language model's tasks: train, resume, sample, evaluate. The CLI and the tests call these. */
public final class CharLmTask {
    /** Task name stored in the model bundle. */
    public static final String TASK = "charlm";

    private CharLmTask() {
    }

    /**
     * Trains a fresh model on {@code texts}, writing {@code model.zip} (best on validation), {@code checkpoint.zip},
     * {@code metrics.csv} and {@code loss.png} (bits per character) into {@code outDir}.
     *
     * @param progress where progress lines go; null for silence
     */
    public static TrainingResult train(List<Path> texts, CharLmConfig cfg, Path outDir, PrintStream progress) {
        TextCorpus corpus = TextCorpus.load(texts);
        CharVocab vocab = CharVocab.of(corpus.text());
        int[] ids = vocab.encode(corpus.text()).ids();
        TextSplit split = TextSplit.of(ids, cfg.data().valFraction(), cfg.data().seqLength(), corpus.source());
        MultiLayerNetwork net = CharLmModel.build(cfg.model(), vocab.size(), cfg.trainer().seed());
        say(progress, String.format(Locale.ROOT, "text: %,d characters from %s; vocabulary %d; training %,d, "
                        + "validation %,d characters; model %dx%d %s, %,d parameters", ids.length, corpus.source(),
                vocab.size(), split.train().length, split.validation().length, cfg.model().layers(),
                cfg.model().hiddenSize(), cfg.model().cell(), net.numParams()));
        CharBatchSource source = new CharBatchSource(split.train(), vocab.size(), cfg.data().seqLength(),
                cfg.data().batchSize(), cfg.trainer().seed());
        return trainer(cfg, outDir, split, vocab, progress).fit(net, source, bundles(cfg, vocab, corpus));
    }

    /**
     * Continues the run whose output directory (or checkpoint file) is {@code resumeFrom}, on the same text, up to
     * {@code maxSteps} in total (null keeps the stored budget). The result equals an uninterrupted run's.
     *
     * @throws UserInputException if there is no checkpoint, or the text is not the one the run was trained on
     */
    public static TrainingResult resume(List<Path> texts, Path resumeFrom, Integer maxSteps, Path outDir,
                                        PrintStream progress) {
        Path file = Trainer.checkpointIn(resumeFrom);
        ModelBundle checkpoint = ModelBundle.load(file, TASK, true);
        CharLmConfig cfg = checkpoint.config(CharLmConfig.class);
        if (maxSteps != null) {
            cfg = cfg.withMaxSteps(maxSteps);
        }
        CharVocab vocab = new CharVocab(checkpoint.jsonArtifact(CharVocab.ARTIFACT, Vocabulary.class));
        TextCorpus corpus = TextCorpus.load(texts);
        if (!corpus.dataHash().equals(checkpoint.provenance().dataHash())) {
            throw new UserInputException("cannot resume from " + file + ": the text " + corpus.source()
                    + " differs from the text that run was trained on (data hash " + corpus.dataHash() + " vs "
                    + checkpoint.provenance().dataHash() + "); give the same --text files in the same order");
        }
        int[] ids = vocab.encode(corpus.text()).ids();
        TextSplit split = TextSplit.of(ids, cfg.data().valFraction(), cfg.data().seqLength(), corpus.source());
        TrainerState state = Trainer.stateOf(checkpoint);
        say(progress, "resuming from " + file + " at step " + state.step() + " of " + cfg.trainer().maxSteps());
        CharBatchSource source = new CharBatchSource(split.train(), vocab.size(), cfg.data().seqLength(),
                cfg.data().batchSize(), cfg.trainer().seed());
        return trainer(cfg, outDir, split, vocab, progress)
                .resume(checkpoint.multiLayerNetwork(), source, bundles(cfg, vocab, corpus), state);
    }

    private static Trainer trainer(CharLmConfig cfg, Path outDir, TextSplit split, CharVocab vocab,
                                   PrintStream progress) {
        // the trainer reports DL4J's loss per time step in nats; per character in bits is 1/ln 2 of that
        Trainer t = new Trainer(cfg.trainer(), outDir)
                .lossUnit("bits/char", 1.0 / Math.log(2))
                .progressTo(progress);
        if (split.validation().length > 1) {
            int[] val = split.validation();
            t.validator(net -> BitsPerChar.score((MultiLayerNetwork) net, val, vocab.size(), vocab.unknownId())
                    .bitsPerChar());
        }
        return t;
    }

    private static Trainer.BundleMaker bundles(CharLmConfig cfg, CharVocab vocab, TextCorpus corpus) {
        return (Model net) -> ModelBundle.of(TASK, net, cfg, Provenance.current(cfg.trainer().seed(),
                corpus.dataHash())).withJsonArtifact(CharVocab.ARTIFACT, vocab.vocabulary());
    }

    private static void say(PrintStream out, String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    /** Loads a character language model bundle (a {@code model.zip} or a directory holding one). */
    public static ModelBundle load(Path model) {
        return ModelBundle.load(model, TASK, false);
    }

    /**
     * Generated text.
     *
     * @param prime             the text the model was primed with
     * @param text              the generated characters (without the prime)
     * @param unknownPrimeChars characters of the prime not in the model's vocabulary (fed as the unknown symbol)
     */
    public record SampleResult(String prime, String text, int unknownPrimeChars) {
    }

    /**
     * Generates {@code length} characters after {@code prime}, one step at a time with the network's stored state
     * (each character costs one step, however long the text gets), handing each to {@code sink} as soon as it is
     * drawn. An empty prime starts after a newline (or, if the text had none, after the first character of the
     * vocabulary). The unknown symbol is never generated.
     */
    public static SampleResult sample(ModelBundle bundle, String prime, int length, SamplingConfig sampling,
                                      Consumer<String> sink) {
        return sample(bundle, prime, length, sampling, sink, true);
    }

    /**
     * {@link #sample(ModelBundle, String, int, SamplingConfig, Consumer)}; with {@code javaSteps} a network of GRU,
     * LSTM or CIFG layers steps in plain Java ({@link NetworkStepper}: a 2x256 LSTM's step is some 800,000
     * multiply-adds, a few native calls' worth of time), otherwise, and for other cells, through the layers'
     * {@code rnnTimeStep}. Both give the same text for the same seed but where two probabilities tie to float
     * rounding.
     */
    static SampleResult sample(ModelBundle bundle, String prime, int length, SamplingConfig sampling,
                               Consumer<String> sink, boolean javaSteps) {
        Objects.requireNonNull(sampling, "sampling");
        if (length < 0) {
            throw new UserInputException("--length must be >= 0, got " + length);
        }
        MultiLayerNetwork net = bundle.multiLayerNetwork();
        CharVocab vocab = new CharVocab(bundle.jsonArtifact(CharVocab.ARTIFACT, Vocabulary.class));
        String p = prime == null ? "" : prime;
        CharVocab.Encoded enc = vocab.encode(p.isEmpty() ? startSymbol(vocab) : p);
        CategoricalSampler sampler = new CategoricalSampler(sampling);
        StringBuilder text = new StringBuilder(length);
        Optional<NetworkStepper> steps = javaSteps ? NetworkStepper.of(net) : Optional.empty();
        net.rnnClearPreviousState();
        try {
            // the probabilities after the prime, then a function from the drawn character to the next ones
            float[] probs;
            IntFunction<float[]> next;
            if (steps.isPresent()) {
                NetworkStepper s = steps.get();
                probs = null;
                for (int id : enc.ids()) {
                    probs = s.stepOneHot(id);
                }
                next = s::stepOneHot;
            } else {
                int[][] primeRows = {enc.ids()};
                probs = lastStep(net.rnnTimeStep(OneHot.of(primeRows, vocab.size(), enc.ids().length)));
                // one input array for all steps, moving its one-hot entry: an allocation less per character
                INDArray step = OneHot.step(0, vocab.size());
                int[] previous = {0};
                next = id -> {
                    step.putScalar(new long[] {0, previous[0], 0}, 0.0);
                    step.putScalar(new long[] {0, id, 0}, 1.0);
                    previous[0] = id;
                    return lastStep(net.rnnTimeStep(step));
                };
            }
            for (int i = 0; i < length; i++) {
                probs[vocab.unknownId()] = 0f;
                int id = sampler.next(probs);
                String c = vocab.decode(id);
                text.append(c);
                if (sink != null) {
                    sink.accept(c);
                }
                probs = next.apply(id);
            }
        } finally {
            net.rnnClearPreviousState();
        }
        return new SampleResult(p, text.toString(), p.isEmpty() ? 0 : enc.unknownCount());
    }

    private static String startSymbol(CharVocab vocab) {
        return vocab.idOf("\n") >= 0 ? "\n" : vocab.decode(vocab.unknownId() == 0 ? 1 : 0);
    }

    private static float[] lastStep(INDArray out) {
        if (out.size(0) == 1 && out.size(2) == 1 && out.stride(1) == 1 && out.data().length() == out.length()) {
            // one step of batch 1 (every sampled character): its buffer is exactly the probabilities, read with one
            // bulk copy instead of a view, a dup and a copy (measured ~0.1-0.2 ms less per character)
            return out.data().asFloat();
        }
        long t = out.size(2) - 1;
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).dup().toFloatVector();
    }

    /**
     * How well a model predicts a text.
     *
     * @param bitsPerChar  average bits per scored character
     * @param perplexity   {@code 2^bitsPerChar}
     * @param chars        characters scored: every character after the first that is in the vocabulary
     * @param unknownChars characters of the text not in the model's vocabulary (not scored)
     */
    public record EvalResult(double bitsPerChar, double perplexity, long chars, long unknownChars) {
    }

    /** Evaluates a model on texts (same rules as training input: UTF-8 files or directories of .txt files). */
    public static EvalResult evaluate(ModelBundle bundle, List<Path> texts) {
        TextCorpus corpus = TextCorpus.load(texts);
        CharVocab vocab = new CharVocab(bundle.jsonArtifact(CharVocab.ARTIFACT, Vocabulary.class));
        CharVocab.Encoded enc = vocab.encode(corpus.text());
        if (enc.ids().length < 2) {
            throw new UserInputException("text in " + corpus.source() + " has " + enc.ids().length
                    + " character; evaluation needs at least 2");
        }
        BitsPerChar.Score s = BitsPerChar.score(bundle.multiLayerNetwork(), enc.ids(), vocab.size(),
                vocab.unknownId());
        if (s.chars() == 0) {
            throw new UserInputException("text in " + corpus.source() + " has no character the model knows");
        }
        double bpc = s.bitsPerChar();
        return new EvalResult(bpc, Math.pow(2, bpc), s.chars(), enc.unknownCount());
    }
}
