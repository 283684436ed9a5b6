package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rnnsuite.core.config.Configs;

/** The model shipped in data/models still loads, is the documented ensemble, and recognizes the shipped samples. */
class ShippedModelTest {
    private static final Path ROOT = Path.of("../..");

    @Test
    void shippedModelClassifiesShippedSamples() throws IOException {
        SpeechModel m = SpeechModel.load(ROOT.resolve("data/models/speech-digits"));
        assertEquals(List.of("eight", "five", "four", "nine", "one", "seven", "six", "three", "two", "zero"),
                m.labels());
        assertEquals(10, m.members());
        // made with configs/speech-digits.json, as its README says
        SpeechConfig cfg = Configs.load(SpeechConfig.class, SpeechConfig.defaults(),
                ROOT.resolve("configs/speech-digits.json"), List.of());
        assertEquals(cfg.features(), m.config().features());
        assertEquals(cfg.model(), m.config().model());
        assertEquals(cfg.augment(), m.config().augment());
        List<Path> samples;
        try (Stream<Path> files = Files.list(ROOT.resolve("data/samples/speech"))) {
            samples = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        assertEquals(10, samples.size());
        List<SpeechTask.Prediction> p = SpeechTask.classify(m, samples);
        for (int i = 0; i < samples.size(); i++) {
            // samples are named <word>-<speaker>.wav
            String word = samples.get(i).getFileName().toString().split("-")[0];
            assertEquals(word, p.get(i).label(), samples.get(i).toString());
        }
    }
}
