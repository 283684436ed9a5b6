package org.rnnsuite.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.train.TrainerConfig;

class ConfigsTest {
    record Model(String cell, int hidden) {
        Model {
            Check.positive("model.hidden", hidden);
        }
    }

    record TaskConfig(Model model, TrainerConfig trainer) {
        static TaskConfig defaults() {
            return new TaskConfig(new Model("lstm", 128), TrainerConfig.defaults());
        }
    }

    @Test
    void fileThenOverridesOverDefaults(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"model\": {\"hidden\": 64}, \"trainer\": {\"learningRate\": 0.01}}");
        TaskConfig c = Configs.load(TaskConfig.class, TaskConfig.defaults(), f,
                List.of("trainer.maxSteps=7", "model.cell=gru"));
        assertEquals(new Model("gru", 64), c.model());
        assertEquals(0.01, c.trainer().learningRate());
        assertEquals(7, c.trainer().maxSteps());
        assertEquals(TrainerConfig.defaults().updater(), c.trainer().updater());
        // round trip through JSON, as stored in bundles
        assertEquals(c, Configs.fromTree(TaskConfig.class, Configs.mapper().readTree(Configs.toJson(c)), "test"));
    }

    @Test
    void unknownKeysAreErrors(@TempDir Path dir) throws IOException {
        UserInputException e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class,
                TaskConfig.defaults(), null, List.of("model.hiden=3")));
        assertTrue(e.getMessage().startsWith("unknown config key 'model.hiden'; known keys: model.cell, "
                + "model.hidden"), e.getMessage());
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"trainer\": {\"lr\": 0.01}}");
        e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class, TaskConfig.defaults(), f,
                List.of()));
        assertTrue(e.getMessage().startsWith("unknown key 'trainer.lr' in config file " + f), e.getMessage());
    }

    @Test
    void badValuesAreErrorsNamingTheKey(@TempDir Path dir) throws IOException {
        UserInputException e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class,
                TaskConfig.defaults(), null, List.of("model.hidden=abc")));
        assertEquals("bad value 'abc' for config key 'model.hidden': expected an integer", e.getMessage());
        e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class, TaskConfig.defaults(),
                null, List.of("model.hidden=-4")));
        assertEquals("invalid config: model.hidden must be > 0, got -4", e.getMessage());
        e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class, TaskConfig.defaults(),
                null, List.of("trainer.updater=sgd")));
        assertEquals("invalid config: trainer.updater must be one of adam|rmsprop|nesterov, got 'sgd'",
                e.getMessage());
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"model\": ");
        e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class, TaskConfig.defaults(), f,
                List.of()));
        assertTrue(e.getMessage().startsWith("config file " + f + " is not valid JSON"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> Configs.load(TaskConfig.class, TaskConfig.defaults(),
                dir.resolve("missing.json"), List.of()));
        assertEquals("config file " + dir.resolve("missing.json") + " does not exist", e.getMessage());
    }
}
