package org.rnnsuite.speech;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.ModelBundle;
import org.rnnsuite.core.bundle.Provenance;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.cells.NetworkStepper;

/**
 * A trained spoken-word classifier: recurrent network, its config, the feature normalizer and the class labels.
 *
 * <p>Network: {@code layers} recurrent layers (optionally bidirectional) over normalized MFCC frames, then either a
 * masked mean over the valid frames and a softmax layer ({@code readout=mean}), or a softmax at every frame of
 * which the last valid one is read ({@code readout=last}). Padded frames are masked, so a clip's prediction does
 * not depend on what it was batched with.
 *
 * <p>A model may also be an <b>ensemble</b> ({@link #ensemble}): several networks of one architecture trained on
 * the same data with different seeds, whose class probabilities are averaged, whole clips and streaming alike.
 */
public final class SpeechModel {
    /** Task name stored in bundles. */
    public static final String TASK = "speech";
    /** Bundle artifact with the class labels. */
    public static final String LABELS = "labels.json";
    /** Bundle artifact naming an ensemble's further networks (absent in a single model). */
    public static final String MEMBERS = "members.json";

    private final MultiLayerNetwork net;
    /** The networks whose probabilities are averaged; the first is {@link #net}. */
    private final List<MultiLayerNetwork> nets;
    private final SpeechConfig config;
    private final Normalizer normalizer;
    private final List<String> labels;
    /**
     * One front end per test-time warp ({@link SpeechAugmentConfig#testWarps()}), the unwarped first; per thread,
     * since {@link Mfcc} keeps work buffers.
     */
    private final ThreadLocal<List<Mfcc>> mfccs;

    public SpeechModel(MultiLayerNetwork net, SpeechConfig config, Normalizer normalizer, List<String> labels) {
        this(List.of(net), config, normalizer, labels);
    }

    private SpeechModel(List<MultiLayerNetwork> nets, SpeechConfig config, Normalizer normalizer,
                        List<String> labels) {
        this.net = nets.get(0);
        this.nets = List.copyOf(nets);
        this.config = config;
        this.normalizer = normalizer;
        this.labels = List.copyOf(labels);
        this.mfccs = ThreadLocal.withInitial(() -> {
            List<Mfcc> fronts = new ArrayList<>();
            for (double w : config.augment().testWarps()) {
                fronts.add(new Mfcc(config.features(), w));
            }
            return fronts;
        });
    }

    /** Class labels, in output order. */
    public record Labels(List<String> labels) {
    }

    /**
     * The further networks of an ensemble bundle.
     *
     * @param artifacts bundle artifacts holding the networks (DL4J model files)
     * @param seeds     training seed of every member, the first network's included
     */
    public record Members(List<String> artifacts, List<Long> seeds) {
    }

    /**
     * An ensemble of trained models: their class probabilities are averaged. The models must share labels, features,
     * architecture and normalizer, i.e. be trained on the same data (with different seeds); the first one's config
     * is kept. Throws naming what differs.
     */
    public static SpeechModel ensemble(List<SpeechModel> models) {
        if (models.size() < 2) {
            throw new UserInputException("an ensemble needs at least two models, got " + models.size());
        }
        SpeechModel first = models.get(0);
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            SpeechModel m = models.get(i);
            String which = "ensemble member " + (i + 1);
            if (!m.labels.equals(first.labels)) {
                throw new UserInputException(which + " has labels " + m.labels + ", the first " + first.labels);
            }
            if (!m.config.features().equals(first.config.features())) {
                throw new UserInputException(which + " computes other features than the first: "
                        + m.config.features() + " vs " + first.config.features());
            }
            if (!m.config.model().equals(first.config.model())) {
                throw new UserInputException(which + " has another architecture than the first: "
                        + m.config.model() + " vs " + first.config.model());
            }
            if (!sameNormalizer(m.normalizer, first.normalizer)) {
                throw new UserInputException(which + " was normalized with other statistics than the first: train "
                        + "the members on the same data");
            }
            nets.addAll(m.nets);
        }
        return new SpeechModel(nets, first.config, first.normalizer, first.labels);
    }

    private static boolean sameNormalizer(Normalizer a, Normalizer b) {
        if (a.mean().length != b.mean().length) {
            return false;
        }
        for (int i = 0; i < a.mean().length; i++) {
            if (Math.abs(a.mean()[i] - b.mean()[i]) > 1e-4 * (1 + Math.abs(b.mean()[i]))
                    || Math.abs(a.std()[i] - b.std()[i]) > 1e-4 * (1 + Math.abs(b.std()[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Networks averaged by this model: 1, or an ensemble's size. */
    public int members() {
        return nets.size();
    }

    /** An untrained network for {@code classes} classes. */
    public static MultiLayerNetwork build(SpeechConfig cfg, int classes) {
        SpeechModelConfig m = cfg.model();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(cfg.trainer().seed())
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = cfg.features().frameSize();
        if (m.convolutional()) {
            in = frontEnd(b, cfg);
        }
        for (int i = 0; i < m.layers(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer cell;
            try {
                cell = Cells.layer(m.cellType(), in, m.hidden(), m.dropout());
            } catch (UnsupportedOperationException e) {
                throw new UserInputException("model.cell=" + m.cell() + ": " + e.getMessage(), e);
            }
            if (m.bidirectional()) {
                b.layer(new Bidirectional(Bidirectional.Mode.CONCAT, cell));
                in = 2 * m.hidden();
            } else {
                b.layer(cell);
                in = m.hidden();
            }
        }
        if ("mean".equals(m.readout())) {
            b.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
            b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nIn(in).nOut(classes).build());
        } else {
            b.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nIn(in).nOut(classes).build());
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Adds the convolution over frequency and its pooling as layers 0 and 1 (see
     * {@link SpeechModelConfig#convFilters()}); returns the values per frame they hand to the first recurrent layer.
     */
    private static int frontEnd(NeuralNetConfiguration.ListBuilder b, SpeechConfig cfg) {
        SpeechModelConfig m = cfg.model();
        FeatureConfig f = cfg.features();
        if (!f.logMel()) {
            throw new UserInputException("model.convFilters=" + m.convFilters() + " convolves mel bands: it needs "
                    + "features.kind=logmel, got features.kind=" + f.kind());
        }
        int bands = f.melBands();
        int channels = 1 + f.deltas();
        if (m.convKernel() > bands) {
            throw new UserInputException("model.convKernel=" + m.convKernel() + " is taller than features.melBands="
                    + bands);
        }
        int positions = bands - m.convKernel() + 1;
        int pooled = positions / m.convPool();
        if (pooled < 1) {
            throw new UserInputException("model.convPool=" + m.convPool() + " is larger than the " + positions
                    + " filter positions of model.convKernel=" + m.convKernel() + " over " + bands + " bands");
        }
        b.layer(new ConvolutionLayer.Builder(m.convKernel(), 1).nIn(channels).nOut(m.convFilters())
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build());
        b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(m.convPool(), 1)
                .stride(m.convPool(), 1).convolutionMode(ConvolutionMode.Truncate).build());
        // frames [batch, channels * bands, time] become images [batch * time, channels, bands, 1] and back
        b.inputPreProcessor(0, new RnnToCnnPreProcessor(bands, 1, channels));
        b.inputPreProcessor(2, new CnnToRnnPreProcessor(pooled, 1, m.convFilters()));
        return pooled * m.convFilters();
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public SpeechConfig config() {
        return config;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    public List<String> labels() {
        return labels;
    }

    /**
     * What the model classifies of a clip (samples at the model's rate): normalized features for each test-time warp
     * ({@link SpeechAugmentConfig#testWarps()}), the unwarped ones first. Safe to call from several threads.
     */
    public List<float[][]> views(float[] samples) {
        List<float[][]> out = new ArrayList<>();
        for (Mfcc m : mfccs.get()) {
            out.add(normalizer.apply(m.compute(samples)));
        }
        return out;
    }

    /** The same model with test-time warps of {@code w} (0: none); see {@link SpeechAugmentConfig#testWarp()}. */
    public SpeechModel withTestWarp(double w) {
        SpeechConfig c = new SpeechConfig(config.model(), config.features(), config.data(), config.trainer(),
                config.augment().withTestWarp(w));
        return new SpeechModel(nets, c, normalizer, labels);
    }

    /**
     * Class probabilities of clips seen as several views: {@code views.get(v).get(i)} is clip {@code i}'s normalized
     * features in view {@code v} (as {@link #views} makes them); the mean over views of {@link #probabilities}.
     */
    public double[][] probabilitiesOfViews(List<List<float[][]>> views) {
        return meanOf(views.stream().map(this::probabilities).toList());
    }

    /**
     * Class probabilities of normalized feature sequences, {@code [n][classes]}, in minibatches of 32; an ensemble's
     * are the mean of its networks'.
     */
    public double[][] probabilities(List<float[][]> seqs) {
        return meanOverNetworks(network -> probabilities(network, seqs));
    }

    private double[][] probabilities(MultiLayerNetwork network, List<float[][]> seqs) {
        double[][] out = new double[seqs.size()][];
        for (int start = 0; start < seqs.size(); start += 32) {
            List<float[][]> chunk = seqs.subList(start, Math.min(seqs.size(), start + 32));
            INDArray[] fm = SequenceBatches.features(chunk);
            INDArray y;
            if ("last".equals(config.model().readout())) {
                y = network.output(fm[0], false, fm[1], fm[1]);
            } else {
                y = network.output(fm[0], false, fm[1], null);
            }
            for (int i = 0; i < chunk.size(); i++) {
                double[] p = new double[labels.size()];
                int last = chunk.get(i).length - 1;
                for (int c = 0; c < p.length; c++) {
                    p[c] = y.rank() == 3 ? y.getDouble(i, c, last) : y.getDouble(i, c);
                }
                out[start + i] = p;
            }
        }
        return out;
    }

    /** {@code perNetwork} of every network of the model, averaged element by element. */
    private double[][] meanOverNetworks(Function<MultiLayerNetwork, double[][]> perNetwork) {
        return meanOf(nets.stream().map(perNetwork).toList());
    }

    /** Element-by-element mean of equally shaped matrices. */
    private static double[][] meanOf(List<double[][]> ps) {
        double[][] sum = ps.get(0);
        for (int k = 1; k < ps.size(); k++) {
            double[][] p = ps.get(k);
            for (int i = 0; i < sum.length; i++) {
                for (int c = 0; c < sum[i].length; c++) {
                    sum[i][c] += p[i][c];
                }
            }
        }
        if (ps.size() > 1) {
            for (double[] row : sum) {
                for (int c = 0; c < row.length; c++) {
                    row[c] /= ps.size();
                }
            }
        }
        return sum;
    }

    /** {@link #stream(float[][], int)} one frame at a time. */
    public double[][] stream(float[][] seq) {
        return stream(seq, 1);
    }

    /**
     * Feeds frames through the recurrent layers' stored state, {@code chunk} frames per call (as audio arrives in
     * blocks), and returns the decision after every frame, {@code [frames][classes]}. Work per frame is constant, so
     * this keeps up with live audio; the last row equals {@link #probabilities} of the whole sequence, and the
     * result does not depend on {@code chunk}. GRU, LSTM and CIFG networks without a front end step in plain Java
     * ({@link NetworkStepper}), one frame at a time whatever {@code chunk}; others go through their layers'
     * {@code rnnTimeStep}, {@code chunk} frames per call (larger chunks save per-call overhead).
     *
     * @throws UserInputException for a bidirectional model, whose backward direction needs the whole clip
     */
    public double[][] stream(float[][] seq, int chunk) {
        return streamViews(List.<float[][]>of(seq), chunk);
    }

    /**
     * {@link #stream(float[][], int)} of one clip seen as several views (as {@link #views} makes them, all of the
     * same length), the decisions averaged over the views frame by frame: its last row equals
     * {@link #probabilitiesOfViews} of the whole clip.
     */
    public double[][] streamViews(List<float[][]> views, int chunk) {
        if (config.model().bidirectional()) {
            throw new UserInputException("a bidirectional model cannot stream: its backward direction needs the end of "
                    + "the clip (train with model.bidirectional=false)");
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        return meanOverNetworks(network -> {
            Optional<NetworkStepper> steps = NetworkStepper.of(network);
            return meanOf(views.stream().map(seq -> steps.map(s -> stream(s, seq))
                    .orElseGet(() -> streamThroughLayers(network, seq, chunk))).toList());
        });
    }

    /**
     * Streaming through the layers' own {@code rnnTimeStep} only, as for networks {@link NetworkStepper} does not
     * cover.
     */
    double[][] streamThroughLayers(float[][] seq, int chunk) {
        return meanOverNetworks(network -> streamThroughLayers(network, seq, chunk));
    }

    private static double[][] stream(NetworkStepper steps, float[][] seq) {
        steps.reset();
        double[][] out = new double[seq.length][];
        for (int t = 0; t < seq.length; t++) {
            float[] p = steps.step(seq[t]);
            out[t] = new double[p.length];
            for (int c = 0; c < p.length; c++) {
                out[t][c] = p[c];
            }
        }
        return out;
    }

    private double[][] streamThroughLayers(MultiLayerNetwork network, float[][] seq, int chunk) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        int front = config.model().frontLayers();
        int recurrent = front + config.model().layers();
        Layer[] layers = network.getLayers();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        for (int i = front; i < recurrent; i++) {
            ((RecurrentLayer) layers[i]).rnnClearPreviousState();
        }
        boolean mean = "mean".equals(config.model().readout());
        Layer output = layers[layers.length - 1];
        int d = seq[0].length;
        int classes = labels.size();
        double[][] out = new double[seq.length][];
        INDArray sum = null;
        for (int start = 0; start < seq.length; start += chunk) {
            int k = Math.min(chunk, seq.length - start);
            float[] block = new float[d * k];
            for (int j = 0; j < k; j++) {
                for (int c = 0; c < d; c++) {
                    block[c * k + j] = seq[start + j][c];
                }
            }
            INDArray x = Nd4j.create(block, new long[]{1, d, k}, 'c');
            for (int i = 0; i < recurrent; i++) {
                if (conf.getInputPreProcess(i) != null) {
                    x = conf.getInputPreProcess(i).preProcess(x, 1, ws);
                }
                // the front end sees one frame at a time: the chunk's frames go through it as one batch
                x = i < front ? layers[i].activate(x, false, ws) : ((RecurrentLayer) layers[i]).rnnTimeStep(x, ws);
            }
            INDArray y;
            if (mean) {
                // running mean over all frames so far, one row per frame of this chunk
                INDArray h = x.reshape(x.size(1), k).transpose().dup();
                INDArray means = Nd4j.create(h.dataType(), k, h.size(1));
                // a plain loop: ND4J's cumsum treats a one-row matrix as a vector and sums across units
                for (int j = 0; j < k; j++) {
                    INDArray row = h.getRow(j, true);
                    sum = sum == null ? row.dup() : sum.addi(row);
                    means.putRow(j, sum.div(start + j + 1));
                }
                y = output.activate(means, false, ws);
            } else {
                y = output.activate(x, false, ws);
                y = y.reshape(classes, k).transpose();
            }
            float[] flat = y.dup('c').data().asFloat();
            for (int j = 0; j < k; j++) {
                double[] p = new double[classes];
                for (int c = 0; c < classes; c++) {
                    p[c] = flat[j * classes + c];
                }
                out[start + j] = p;
            }
        }
        for (int i = front; i < recurrent; i++) {
            ((RecurrentLayer) layers[i]).rnnClearPreviousState();
        }
        return out;
    }

    /** Index of the largest value. */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The bundle: network(s) + config + normalizer + labels + provenance. */
    public ModelBundle bundle(String dataHash) {
        ModelBundle b = bundle(net, dataHash);
        if (nets.size() > 1) {
            List<String> names = new ArrayList<>();
            for (int k = 1; k < nets.size(); k++) {
                String name = "member-" + (k + 1) + ".zip";
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try {
                    ModelSerializer.writeModel(nets.get(k), bytes, false);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serialize ensemble member " + (k + 1), e);
                }
                b = b.withArtifact(name, bytes.toByteArray());
                names.add(name);
            }
            List<Long> seeds = nets.stream().map(n -> n.getLayerWiseConfigurations().getConf(0).getSeed()).toList();
            b = b.withJsonArtifact(MEMBERS, new Members(names, seeds));
        }
        return b;
    }

    ModelBundle bundle(org.deeplearning4j.nn.api.Model network, String dataHash) {
        return ModelBundle.of(TASK, network, config, Provenance.current(config.trainer().seed(), dataHash))
                .withJsonArtifact(Normalizer.ARTIFACT, normalizer)
                .withJsonArtifact(LABELS, new Labels(labels));
    }

    /** Loads a model from a bundle file or a model directory; throws naming the file if it is not a speech model. */
    public static SpeechModel load(Path fileOrDir) {
        return of(ModelBundle.load(fileOrDir, TASK, false), fileOrDir);
    }

    /** The model held by a loaded speech bundle; {@code source} names it in messages. */
    static SpeechModel of(ModelBundle b, Path fileOrDir) {
        SpeechConfig cfg = b.config(SpeechConfig.class);
        Normalizer n = b.jsonArtifact(Normalizer.ARTIFACT, Normalizer.class);
        List<MultiLayerNetwork> nets = new ArrayList<>(List.of(b.multiLayerNetwork()));
        if (b.artifacts().containsKey(MEMBERS)) {
            for (String name : b.jsonArtifact(MEMBERS, Members.class).artifacts()) {
                try {
                    nets.add(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(b.artifact(name)),
                            false));
                } catch (IOException | RuntimeException e) {
                    throw new UserInputException("ensemble member '" + name + "' in " + fileOrDir
                            + " is not readable: " + e.getMessage(), e);
                }
            }
        }
        return new SpeechModel(nets, cfg, n, labelsOf(b));
    }

    /** The class labels stored in a speech bundle, in output order. */
    static List<String> labelsOf(ModelBundle b) {
        return new ArrayList<>(b.jsonArtifact(LABELS, Labels.class).labels());
    }
}
