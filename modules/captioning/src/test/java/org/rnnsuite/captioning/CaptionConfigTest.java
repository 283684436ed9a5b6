package org.rnnsuite.captioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;

class CaptionConfigTest {
    @Test
    void committedConfigsLoad() {
        for (String name : List.of("caption-small.json", "caption-tiny.json")) {
            Path f = Path.of("../../configs", name);
            CaptionConfig c = Configs.load(CaptionConfig.class, CaptionConfig.defaults(), f, List.of());
            assertEquals("lstm", c.model().cell());
        }
    }

    @Test
    void overridesAndValidation() {
        CaptionConfig c = Configs.load(CaptionConfig.class, CaptionConfig.defaults(), null,
                List.of("model.inject=every", "data.batchSize=4"));
        assertEquals("every", c.model().inject());
        assertEquals(4, c.data().batchSize());
        UserInputException e = assertThrows(UserInputException.class, () -> Configs.load(CaptionConfig.class,
                CaptionConfig.defaults(), null, List.of("model.imageSize=60")));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> Configs.load(CaptionConfig.class,
                CaptionConfig.defaults(), null, List.of("model.inject=last")));
        assertTrue(e.getMessage().contains("model.inject"), e.getMessage());
        assertThrows(UserInputException.class, () -> Configs.load(CaptionConfig.class, CaptionConfig.defaults(),
                null, List.of("model.colour=red")));
    }
}
