package org.rnnsuite.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.Cells;

/** The scoring output layer must be DL4J's RnnOutputLayer in everything but speed. */
class SequenceOutputLayerTest {
    @TempDir
    Path dir;

    private static MultiLayerNetwork net(boolean scoring, double l2) {
        return net(scoring, l2, DataType.DOUBLE);
    }

    private static MultiLayerNetwork net(boolean scoring, double l2, DataType dt) {
        RnnOutputLayer out = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(6).nOut(4).build();
        Layer last = scoring ? SequenceOutputLayer.of(out) : out;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(dt)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.05)).l2(l2).list()
                .layer(Cells.layer(CellType.GRU, 3, 6, 0.0))
                .layer(last).build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private static INDArray[] data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3, 7);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 4, 7);
        for (int b = 0; b < 5; b++) {
            for (int t = 0; t < 7; t++) {
                y.putScalar(b, (b + t) % 4, t, 1.0);
            }
        }
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 5, 7);
        for (int t = 4; t < 7; t++) {
            mask.putScalar(1, t, 0.0);
            mask.putScalar(3, t, 0.0);
        }
        return new INDArray[]{x, y, mask};
    }

    @Test
    void scoreAndGradientEqualDl4jsOutputLayerWithAndWithoutMasksAndL2() {
        for (double l2 : new double[]{0, 1e-3}) {
            for (boolean masked : new boolean[]{false, true}) {
                MultiLayerNetwork ref = net(false, l2);
                MultiLayerNetwork ours = net(true, l2);
                ours.setParams(ref.params().dup());
                assertInstanceOf(SequenceOutputLayerImpl.class, ours.getLayer(1));
                INDArray[] d = data(11);
                for (MultiLayerNetwork n : new MultiLayerNetwork[]{ref, ours}) {
                    n.setInput(d[0]);
                    n.setLabels(d[1]);
                    n.setLayerMaskArrays(masked ? d[2] : null, masked ? d[2] : null);
                    n.computeGradientAndScore();
                }
                String what = "l2 " + l2 + (masked ? ", masked" : "");
                assertTrue(((SequenceOutputLayerImpl) ours.getLayer(1)).lastBackpropFused, "fused path, " + what);
                assertEquals(ref.score(), ours.score(), 1e-12, "score, " + what);
                INDArray g1 = ref.gradient().gradient();
                INDArray g2 = ours.gradient().gradient();
                assertTrue(g1.equalsWithEps(g2, 1e-12), "gradient, " + what);
                // a later score call on other data is computed afresh, not taken from the cache
                INDArray[] e = data(12);
                org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(e[0], e[1]);
                assertEquals(ref.score(ds), ours.score(ds), 1e-12, "score of other data, " + what);
            }
        }
    }

    @Test
    void floatNetworksTakeTheBulkPathWithDl4jsResult() {
        MultiLayerNetwork ref = net(false, 0, DataType.FLOAT);
        MultiLayerNetwork ours = net(true, 0, DataType.FLOAT);
        ours.setParams(ref.params().dup());
        INDArray[] d = data(14);
        for (MultiLayerNetwork n : new MultiLayerNetwork[]{ref, ours}) {
            n.setInput(d[0].castTo(DataType.FLOAT));
            n.setLabels(d[1].castTo(DataType.FLOAT));
            n.setLayerMaskArrays(d[2].castTo(DataType.FLOAT), d[2].castTo(DataType.FLOAT));
            n.computeGradientAndScore();
        }
        assertTrue(((SequenceOutputLayerImpl) ours.getLayer(1)).lastBackpropFused, "fused path");
        assertEquals(ref.score(), ours.score(), 1e-5);
        assertTrue(ref.gradient().gradient().equalsWithEps(ours.gradient().gradient(), 1e-5));
    }

    @Test
    void weightedLossTakesDl4jsPathWithTheSameResult() {
        INDArray weights = Nd4j.createFromArray(1.0, 2.0, 0.5, 1.5);
        MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
        for (int i = 0; i < 2; i++) {
            RnnOutputLayer out = new RnnOutputLayer.Builder(new LossMCXENT(weights)).activation(Activation.SOFTMAX)
                    .nIn(6).nOut(4).build();
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                    .weightInit(WeightInit.XAVIER).list()
                    .layer(Cells.layer(CellType.GRU, 3, 6, 0.0))
                    .layer(i == 0 ? out : SequenceOutputLayer.of(out)).build();
            nets[i] = new MultiLayerNetwork(conf);
            nets[i].init();
        }
        nets[1].setParams(nets[0].params().dup());
        INDArray[] d = data(13);
        for (MultiLayerNetwork n : nets) {
            n.setInput(d[0]);
            n.setLabels(d[1]);
            n.setLayerMaskArrays(d[2], d[2]);
            n.computeGradientAndScore();
        }
        assertTrue(!((SequenceOutputLayerImpl) nets[1].getLayer(1)).lastBackpropFused, "DL4J's path");
        assertEquals(nets[0].score(), nets[1].score(), 1e-12);
        assertTrue(nets[0].gradient().gradient().equalsWithEps(nets[1].gradient().gradient(), 1e-12));
    }

    @Test
    void trainsIdenticallyAndSurvivesJsonAndModelSerializer() throws Exception {
        MultiLayerNetwork ref = net(false, 0);
        MultiLayerNetwork ours = net(true, 0);
        ours.setParams(ref.params().dup());
        INDArray[] d = data(5);
        org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(d[0], d[1], d[2], d[2]);
        double first = 0;
        for (int i = 0; i < 20; i++) {
            ref.fit(ds);
            ours.fit(ds);
            assertEquals(ref.score(), ours.score(), 1e-9, "training score at step " + i);
            if (i == 0) {
                first = ours.score();
            }
        }
        assertTrue(ours.score() < first, "loss falls: " + first + " -> " + ours.score());
        assertTrue(ref.params().equalsWithEps(ours.params(), 1e-9), "same parameters after training");

        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(ours.getLayerWiseConfigurations().toJson());
        assertInstanceOf(SequenceOutputLayer.class, back.getConf(1).getLayer());
        assertEquals(ours.getLayerWiseConfigurations(), back);
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(ours, f, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertInstanceOf(SequenceOutputLayerImpl.class, loaded.getLayer(1));
        assertEquals(ours.output(d[0]), loaded.output(d[0]));
    }
}
