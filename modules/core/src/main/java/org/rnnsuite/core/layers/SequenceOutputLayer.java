package org.rnnsuite.core.layers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link RnnOutputLayer} (per-time-step dense layer, activation and loss), with one change in how a training
 * step runs: the minibatch's loss is computed during backpropagation from the pre-activations the gradient is
 * computed from, instead of afterwards by a second pass. DL4J's {@code computeGradientAndScore} otherwise reshapes
 * the layer's input from 3-d to 2-d (a permuted copy), multiplies it by the weights and reshapes the labels a second
 * time only to report the score: a sixth to a third of a small char-LM's training step. The maths, parameters,
 * JSON form (apart from the class name) and every other code path are DL4J's own.
 *
 * <p>Build it like an {@code RnnOutputLayer} and convert: {@code SequenceOutputLayer.of(new
 * RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(80).activation(Activation.SOFTMAX).build())}.
 */
public class SequenceOutputLayer extends RnnOutputLayer {

    /** For JSON deserialization; use {@link #of}. */
    public SequenceOutputLayer() {
    }

    /** A copy of {@code conf} (every setting) that instantiates the scoring layer. */
    public static SequenceOutputLayer of(RnnOutputLayer conf) {
        SequenceOutputLayer out = new SequenceOutputLayer();
        // RnnOutputLayer's builder constructor is private: copy the settings field by field up the hierarchy
        for (Class<?> c = RnnOutputLayer.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(out, f.get(conf));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy layer setting " + c.getSimpleName() + "."
                            + f.getName(), e);
                }
            }
        }
        return out;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SequenceOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        SequenceOutputLayerImpl layer = new SequenceOutputLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }
}
