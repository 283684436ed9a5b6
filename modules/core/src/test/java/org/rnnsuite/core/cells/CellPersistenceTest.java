package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ModelSerializer save/load and JSON configuration round trips for every cell; dropout and memory report. */
class CellPersistenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void saveLoadGivesIdenticalOutputs(CellType type) throws Exception {
        MultiLayerNetwork net = CellNets.stacked(type, 5, 6, 5, DataType.FLOAT, new Adam(0.01), 1e-4, false, 4, 9);
        INDArray x = CellNets.features(1, DataType.FLOAT, 2, 5, 8);
        net.fit(x, CellNets.oneHot(2, DataType.FLOAT, 2, 5, 8)); // non-trivial updater state
        File f = dir.resolve(type.id() + ".zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(net.output(x), back.output(x));
    }

    @Test
    void bidirectionalGraphSaveLoad() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(4))
                .addLayer("gru", new Bidirectional(Cells.layer(CellType.GRU, 4, 5, 0.1)), "in")
                .addLayer("cifg", Cells.layer(CellType.CIFG, 10, 5, 0), "gru")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "cifg")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = CellNets.features(3, DataType.FLOAT, 2, 4, 6);
        g.fit(new INDArray[] {x}, new INDArray[] {CellNets.oneHot(4, DataType.FLOAT, 2, 3, 6)});
        File f = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(g.getConfiguration(), back.getConfiguration());
        assertEquals(g.outputSingle(x), back.outputSingle(x));
    }

    @Test
    void jsonRoundTripKeepsEverySetting() {
        CIFG cifg = new CIFG.Builder().nIn(3).nOut(4).forgetGateBiasInit(2.5).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().l2(0.01).list()
                .layer(new GRU.Builder().nIn(3).nOut(4).dropOut(0.8).build())
                .layer(new Bidirectional(cifg))
                .layer(new FusedLSTM.Builder().nIn(8).nOut(4).forgetGateBiasInit(0.5).build())
                .layer(new RnnOutputLayer.Builder().nIn(4).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertInstanceOf(GRU.class, back.getConf(0).getLayer());
        CIFG restored = (CIFG) ((Bidirectional) back.getConf(1).getLayer()).getFwd();
        assertEquals(2.5, restored.getForgetGateBiasInit());
        assertEquals(0.5, ((FusedLSTM) back.getConf(2).getLayer()).getForgetGateBiasInit());
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().list()
                .layer(new GRU.Builder().nIn(3).nOut(4).build()).layer(new CIFG.Builder().nIn(4).nOut(4).build())
                .layer(new FusedLSTM.Builder().nIn(4).nOut(4).build())
                .layer(new RnnOutputLayer.Builder().nIn(4).nOut(2).activation(Activation.SOFTMAX).build()).build();
        assertTrue(plain.getMemoryReport(InputType.recurrent(3, 20))
                .getTotalMemoryBytes(8, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT) > 0);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"GRU", "CIFG", "LSTM"})
    void inputDropoutActsOnlyInTraining(CellType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(Cells.layer(type, 6, 5, 0.5))
                .layer(new RnnOutputLayer.Builder().nIn(5).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray x = CellNets.features(1, DataType.FLOAT, 4, 6, 5);
        assertEquals(net.output(x, false), net.output(x, false));
        assertNotEquals(net.output(x, false), net.output(x, true));
    }
}
