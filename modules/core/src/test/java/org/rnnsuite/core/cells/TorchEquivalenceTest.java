package org.rnnsuite.core.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cross-framework equivalence against PyTorch 1.13 (float64 fixtures written by
 * {@code src/test/python/make_rnn_fixtures.py}): our GRU reproduces {@code nn.GRU}, our {@link FusedLSTM} and DL4J's
 * LSTM reproduce {@code nn.LSTM}, outputs and gradients, starting from a non-zero initial state.
 */
@ExtendWith(DoublePrecision.class)
class TorchEquivalenceTest {
    private static final double TOL = 1e-5;
    /** DL4J's LSTM gate blocks [block input g, f, o, i] taken from PyTorch's [i, f, g, o]. */
    private static final int[] LSTM_BLOCK_FROM_TORCH = {2, 1, 3, 0};

    @Test
    void gruMatchesTorchGruOnThePlainNd4jPathToo() throws IOException {
        // the path other backends (CUDA) take: no direct memory access from Java loops
        boolean was = NativeMem.setEnabled(false);
        try {
            gruMatchesTorchGru();
        } finally {
            NativeMem.setEnabled(was);
        }
    }

    @Test
    void gruMatchesTorchGru() throws IOException {
        JsonNode fx = fixture("torch_gru.json");
        int h = fx.get("hidden").asInt();
        Layer layer = instantiate(new GRU.Builder().nIn(fx.get("nIn").asInt()).nOut(h).build());
        Map<String, INDArray> p = layer.paramTable();
        p.get("W").assign(array(fx.at("/params/weight_ih_l0")).transpose());
        p.get("RW").assign(array(fx.at("/params/weight_hh_l0")).transpose());
        p.get("b").assign(array(fx.at("/params/bias_ih_l0")));
        p.get("RB").assign(array(fx.at("/params/bias_hh_l0")));

        Pair<Gradient, INDArray> res = runWithState(layer, fx, Map.of("prevAct", array(fx.get("h0"))));
        Map<String, INDArray> g = res.getFirst().gradientForVariable();
        assertClose(array(fx.at("/grads/weight_ih_l0")).transpose(), g.get("W"), "dW");
        assertClose(array(fx.at("/grads/weight_hh_l0")).transpose(), g.get("RW"), "dRW");
        assertClose(array(fx.at("/grads/bias_ih_l0")), g.get("b"), "db");
        assertClose(array(fx.at("/grads/bias_hh_l0")), g.get("RB"), "dRB");
        assertClose(array(fx.get("gradInput")).permute(0, 2, 1), res.getSecond(), "dx");
    }

    @Test
    void fusedLstmMatchesTorchLstmOnThePlainNd4jPathToo() throws IOException {
        boolean was = NativeMem.setEnabled(false);
        try {
            fusedLstmMatchesTorchLstm();
        } finally {
            NativeMem.setEnabled(was);
        }
    }

    /** Same block order as PyTorch: the weights only transpose, and the two biases add up. */
    @Test
    void fusedLstmMatchesTorchLstm() throws IOException {
        JsonNode fx = fixture("torch_lstm.json");
        int h = fx.get("hidden").asInt();
        Layer layer = instantiate(new FusedLSTM.Builder().nIn(fx.get("nIn").asInt()).nOut(h).build());
        Map<String, INDArray> p = layer.paramTable();
        p.get("W").assign(array(fx.at("/params/weight_ih_l0")).transpose());
        p.get("RW").assign(array(fx.at("/params/weight_hh_l0")).transpose());
        p.get("b").assign(array(fx.at("/params/bias_ih_l0")).add(array(fx.at("/params/bias_hh_l0"))));

        Pair<Gradient, INDArray> res = runWithState(layer, fx,
                Map.of("prevAct", array(fx.get("h0")), "prevMem", array(fx.get("c0"))));
        Map<String, INDArray> g = res.getFirst().gradientForVariable();
        assertClose(array(fx.at("/grads/weight_ih_l0")).transpose(), g.get("W"), "dW");
        assertClose(array(fx.at("/grads/weight_hh_l0")).transpose(), g.get("RW"), "dRW");
        assertClose(array(fx.at("/grads/bias_ih_l0")), g.get("b"), "db");
        assertClose(array(fx.get("gradInput")).permute(0, 2, 1), res.getSecond(), "dx");
    }

    @Test
    void dl4jLstmMatchesTorchLstm() throws IOException {
        JsonNode fx = fixture("torch_lstm.json");
        int h = fx.get("hidden").asInt();
        Layer layer = instantiate(new LSTM.Builder().nIn(fx.get("nIn").asInt()).nOut(h)
                .activation(Activation.TANH).build());
        Map<String, INDArray> p = layer.paramTable();
        INDArray bias = array(fx.at("/params/bias_ih_l0")).add(array(fx.at("/params/bias_hh_l0")));
        p.get("W").assign(torchToDl4jLstm(array(fx.at("/params/weight_ih_l0")).transpose(), h));
        p.get("RW").assign(torchToDl4jLstm(array(fx.at("/params/weight_hh_l0")).transpose(), h));
        p.get("b").assign(torchToDl4jLstm(bias.reshape(1, 4 * h), h).reshape(p.get("b").shape()));

        Pair<Gradient, INDArray> res = runWithState(layer, fx,
                Map.of("prevAct", array(fx.get("h0")), "prevMem", array(fx.get("c0"))));
        Map<String, INDArray> g = res.getFirst().gradientForVariable();
        assertClose(torchToDl4jLstm(array(fx.at("/grads/weight_ih_l0")).transpose(), h), g.get("W"), "dW");
        assertClose(torchToDl4jLstm(array(fx.at("/grads/weight_hh_l0")).transpose(), h), g.get("RW"), "dRW");
        // one DL4J bias stands for PyTorch's two, whose gradients are equal
        assertClose(torchToDl4jLstm(array(fx.at("/grads/bias_ih_l0")).reshape(1, 4 * h), h)
                .reshape(g.get("b").shape()), g.get("b"), "db");
        assertClose(array(fx.get("gradInput")).permute(0, 2, 1), res.getSecond(), "dx");
    }

    /** Forward from the given initial state, checks the output, and returns the truncated-BPTT gradient. */
    private static Pair<Gradient, INDArray> runWithState(Layer layer, JsonNode fx, Map<String, INDArray> state) {
        var rnn = (org.deeplearning4j.nn.api.layers.RecurrentLayer) layer;
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = array(fx.get("input")).permute(0, 2, 1).dup('f');
        // the state is the starting point of a TBPTT segment: forward reads the TBPTT state, backprop stateMap
        rnn.rnnSetTBPTTState(state);
        rnn.rnnSetPreviousState(state);
        INDArray out = rnn.rnnActivateUsingStoredState(x, true, false, mgr);
        assertClose(array(fx.get("output")).permute(0, 2, 1), out, "output");
        INDArray eps = array(fx.get("dout")).permute(0, 2, 1).dup('f');
        return rnn.tbpttBackpropGradient(eps, fx.get("steps").asInt(), mgr);
    }

    private static INDArray torchToDl4jLstm(INDArray torchCols, int h) {
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, torchCols.rows(), 4L * h);
        for (int k = 0; k < 4; k++) {
            int src = LSTM_BLOCK_FROM_TORCH[k];
            out.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * h, (long) (k + 1) * h))
                    .assign(torchCols.get(NDArrayIndex.all(), NDArrayIndex.interval((long) src * h,
                            (long) (src + 1) * h)));
        }
        return out;
    }

    private static Layer instantiate(org.deeplearning4j.nn.conf.layers.Layer conf) {
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(conf)
                .build();
        long n = nnc.getLayer().initializer().numParams(nnc);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, n);
        Layer layer = nnc.getLayer().instantiate(nnc, List.of(), 0, params, true, DataType.DOUBLE);
        layer.setBackpropGradientsViewArray(Nd4j.zeros(DataType.DOUBLE, 1, n));
        return layer;
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = TorchEquivalenceTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertTrue(in != null, "missing fixture " + name);
            return new ObjectMapper().readTree(in);
        }
    }

    /** A nested JSON list as a double array of the same shape. */
    static INDArray array(JsonNode node) {
        List<Long> shape = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            shape.add((long) n.size());
            n = n.get(0);
        }
        List<Double> values = new ArrayList<>();
        flatten(node, values);
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return Nd4j.create(v, shape.stream().mapToLong(Long::longValue).toArray(), 'c');
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(c -> flatten(c, out));
        } else {
            out.add(node.asDouble());
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + " size");
        INDArray e = expected.reshape(actual.shape());
        double maxDiff = e.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff < TOL, what + ": max abs difference " + maxDiff);
    }
}
