package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model shipped in data/models still loads and recognizes the shipped sample clips it got right. */
class ShippedModelTest {
    private static final Path ROOT = Path.of("../..");

    @Test
    void shippedModelClassifiesShippedSamples() {
        SpeechModel m = SpeechModel.load(ROOT.resolve("data/models/speech-digits"));
        assertEquals(List.of("eight", "five", "four", "nine", "one", "seven", "six", "three", "two", "zero"),
                m.labels());
        Path samples = ROOT.resolve("data/samples/speech");
        List<SpeechTask.Prediction> p = SpeechTask.classify(m, List.of(samples.resolve("nine-espeak.denis.wav"),
                samples.resolve("three-espeak.alex.wav"), samples.resolve("eight-slt.wav")));
        assertEquals("nine", p.get(0).label());
        assertEquals("three", p.get(1).label());
        assertEquals("eight", p.get(2).label());
    }
}
