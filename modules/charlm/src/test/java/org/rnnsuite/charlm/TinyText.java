package org.rnnsuite.charlm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small deterministic corpus of simple sentences, so tests train in seconds. */
final class TinyText {
    private static final String[] SUBJECTS = {"the whale", "a sailor", "the captain", "the sea"};
    private static final String[] VERBS = {"sees", "follows", "fears", "loves"};
    private static final String[] OBJECTS = {"the ship.", "a storm.", "the harpoon.", "the moon."};

    private TinyText() {
    }

    static String text(int sentences, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(SUBJECTS[r.nextInt(SUBJECTS.length)]).append(' ').append(VERBS[r.nextInt(VERBS.length)])
                    .append(' ').append(OBJECTS[r.nextInt(OBJECTS.length)]).append(i % 4 == 3 ? '\n' : ' ');
        }
        return sb.toString();
    }

    static Path write(Path dir, String name, int sentences) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text(sentences, 7), StandardCharsets.UTF_8);
        return f;
    }

    /** A small model and short run: 1x32 LSTM, sequences of 16, batches of 8. */
    static CharLmConfig tinyConfig(int steps) {
        CharLmConfig d = CharLmConfig.defaults();
        var t = d.trainer();
        return new CharLmConfig(new CharLmConfig.ModelConfig("lstm", 1, 32, 0.0),
                new CharLmConfig.DataConfig(16, 8, 0.1),
                new org.rnnsuite.core.train.TrainerConfig(t.updater(), 1e-2, t.momentum(), t.lrSchedule(),
                        t.lrDecay(), t.lrDecaySteps(), t.clip(), t.clipThreshold(), 8, steps, 10, 0, 0, 3L, 60.0));
    }
}
