package org.rnnsuite.captioning;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;
import org.rnnsuite.core.layers.SequenceOutputLayer;

/**
 * The captioning network: a CNN encoder and a recurrent decoder in one ComputationGraph, trained end to end.
 *
 * <p>Inputs: {@value #IMAGE} {@code [batch, 3, size, size]}; {@value #WORDS} {@code [batch, 1, T]} word ids
 * (start token, then the caption); {@value #INJECT} {@code [batch, embedding, T]}, 1 where the image enters the
 * decoder and 0 elsewhere. Output {@value #OUTPUT}: {@code [batch, vocabulary, T]} softmax over the next word
 * (the caption, then the end token); a label mask hides padding, so captions of any length share a batch.
 *
 * <p>Encoder: blocks of 3x3 convolution, batch normalisation, ReLU and 2x2 max pooling, then a dense projection of
 * the flattened map to the embedding size. Flattening (not global pooling) keeps where things are, which the
 * spatial words ("left of", "above") need.
 *
 * <p>How the image enters the decoder: as its <b>first input</b>, as in Show and Tell (Vinyals et al., 2015), not
 * as its initial state. DL4J's LSTM takes no initial-state input in a ComputationGraph, and setting the stored
 * state from an encoder output would cut the gradient between decoder and encoder, so training could not be end to
 * end; libnd4j's fused {@code lstmLayer} with an initial state computes wrong gradients (see PERF.md). The image
 * embedding is therefore duplicated over time, multiplied by the {@value #INJECT} gate and added to the word
 * embeddings. With {@code inject = first} the gate is 1 only at the first step (start token + image), which is
 * Show and Tell with the image and the start token sharing one step; {@code inject = every} opens the gate at
 * every step ("par-inject"), which some find learns faster. Both are the same graph, so a model's gate is a
 * config choice, not a code path. At decoding time the CNN runs once per image ({@link #embedImages}) and a
 * decoder-only copy of the graph ({@link #decoderOnly}) takes the embedding at every {@code rnnTimeStep}; the gate
 * decides whether it counts.
 */
public final class CaptionModel {
    /** Image input. */
    public static final String IMAGE = "image";
    /** Word-id input. */
    public static final String WORDS = "words";
    /** Image gate input. */
    public static final String INJECT = "inject";
    /** Input of the decoder-only graph used for decoding: the image embedding. */
    public static final String IMAGE_EMBEDDING = "imageEmbeddingInput";
    /** The decoder layer (its stored state is reordered by beam search). */
    public static final String DECODER = "decoder";
    /** Softmax output. */
    public static final String OUTPUT = "next";

    private CaptionModel() {
    }

    /** A fresh, initialised network for a vocabulary of {@code vocabSize} words (specials included). */
    public static ComputationGraph build(CaptionModelConfig cfg, int vocabSize, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(2e-3))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(IMAGE, WORDS, INJECT);
        String prev = IMAGE;
        int channels = cfg.convChannels();
        for (int b = 0; b < cfg.convBlocks(); b++) {
            g.addLayer("conv" + b, new ConvolutionLayer.Builder(3, 3).nOut(channels).activation(Activation.IDENTITY)
                    .hasBias(false).build(), prev);
            g.addLayer("bn" + b, new BatchNormalization.Builder().build(), "conv" + b);
            g.addLayer("relu" + b, new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn" + b);
            g.addLayer("pool" + b, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2).stride(2, 2).build(), "relu" + b);
            prev = "pool" + b;
            channels = Math.min(256, channels * 2);
        }
        g.addLayer("imageEmbedding", new DenseLayer.Builder().nOut(cfg.embedding()).activation(Activation.IDENTITY)
                .build(), prev);
        g.addVertex("imageOverTime", new DuplicateToTimeSeriesVertex(WORDS), "imageEmbedding");
        g.addVertex("imageGated", new ElementWiseVertex(ElementWiseVertex.Op.Product), "imageOverTime", INJECT);
        g.addLayer("wordEmbedding", new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(cfg.embedding())
                .inferInputLength(true).hasBias(false).build(), WORDS);
        g.addVertex("decoderInput", new ElementWiseVertex(ElementWiseVertex.Op.Add), "wordEmbedding", "imageGated");
        g.addLayer(DECODER, Cells.layer(CellType.parse(cfg.cell()), cfg.embedding(), cfg.hidden(), cfg.dropout()),
                "decoderInput");
        g.addLayer(OUTPUT, SequenceOutputLayer.of(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(cfg.hidden()).nOut(vocabSize).activation(Activation.SOFTMAX).build()), DECODER);
        g.setOutputs(OUTPUT);
        // The word input holds one id per step, but its declared type carries the vocabulary size: DL4J infers
        // the embedding layer's nIn from it.
        g.setInputTypes(InputType.convolutional(cfg.imageSize(), cfg.imageSize(), 3), InputType.recurrent(vocabSize),
                InputType.recurrent(cfg.embedding()));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /**
     * The decoder half of a trained network as its own graph, taking the image embedding instead of the image:
     * decoding then runs the CNN once per image instead of once per beam and step. Parameters are copied from
     * {@code full}; the layers and vertices after the image embedding are identical to {@link #build}'s.
     */
    public static ComputationGraph decoderOnly(ComputationGraph full, CaptionModelConfig cfg, int vocabSize) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(IMAGE_EMBEDDING, WORDS, INJECT);
        g.addVertex("imageOverTime", new DuplicateToTimeSeriesVertex(WORDS), IMAGE_EMBEDDING);
        g.addVertex("imageGated", new ElementWiseVertex(ElementWiseVertex.Op.Product), "imageOverTime", INJECT);
        g.addLayer("wordEmbedding", new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(cfg.embedding())
                .inferInputLength(true).hasBias(false).build(), WORDS);
        g.addVertex("decoderInput", new ElementWiseVertex(ElementWiseVertex.Op.Add), "wordEmbedding", "imageGated");
        // the trained decoder's own layer configurations, not ones built from the config: what a cell name builds
        // can change between versions ("lstm" was DL4J's LSTM, whose parameter layout differs), a saved layer cannot
        g.addLayer(DECODER, full.getLayer(DECODER).conf().getLayer().clone(), "decoderInput");
        g.addLayer(OUTPUT, full.getLayer(OUTPUT).conf().getLayer().clone(), DECODER);
        g.setOutputs(OUTPUT);
        g.setInputTypes(InputType.feedForward(cfg.embedding()), InputType.recurrent(vocabSize),
                InputType.recurrent(cfg.embedding()));
        ComputationGraph dec = new ComputationGraph(g.build());
        dec.init();
        for (String layer : new String[]{"wordEmbedding", DECODER, OUTPUT}) {
            dec.getLayer(layer).setParams(full.getLayer(layer).params().dup());
        }
        return dec;
    }

    /** The image embedding of a batch of images, {@code [batch, embedding]}, in inference mode. */
    public static INDArray embedImages(ComputationGraph full, CaptionModelConfig cfg, INDArray images) {
        long n = images.size(0);
        INDArray words = Nd4j.zeros(DataType.FLOAT, n, 1, 1);
        INDArray gate = injectGate(cfg, (int) n, 1, 0);
        return full.feedForward(new INDArray[]{images, words, gate}, false).get("imageEmbedding").dup();
    }

    /**
     * The image gate for {@code rows} sequences of {@code length} steps starting at step {@code offset}: 1 at step
     * 0 only ({@code first}) or at every step ({@code every}).
     */
    public static INDArray injectGate(CaptionModelConfig cfg, int rows, int length, int offset) {
        INDArray gate = Nd4j.zeros(DataType.FLOAT, rows, cfg.embedding(), length);
        if ("every".equals(cfg.inject())) {
            gate.assign(1);
        } else if (offset == 0) {
            gate.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).assign(1);
        }
        return gate;
    }
}
