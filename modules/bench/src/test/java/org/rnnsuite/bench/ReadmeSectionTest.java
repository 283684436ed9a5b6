package org.rnnsuite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnsuite.core.UserInputException;

class ReadmeSectionTest {
    private static final String README = "# rnnsuite\n\n## Performance\n\nIntro.\n\n" + ReadmeSection.BEGIN
            + "\nold table\nold line\n" + ReadmeSection.END + "\n\n## Next\nkept\n";

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() {
        String out = ReadmeSection.replace(README, "| new |\n", "README.md");
        assertEquals("# rnnsuite\n\n## Performance\n\nIntro.\n\n" + ReadmeSection.BEGIN + "\n| new |\n"
                + ReadmeSection.END + "\n\n## Next\nkept\n", out);
        // replacing again with the same table changes nothing
        assertEquals(out, ReadmeSection.replace(out, "| new |", "README.md"));
    }

    @Test
    void missingRepeatedOrSwappedMarkersAreUserErrorsNamingTheFile() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> ReadmeSection.replace("# no markers\n", "x", "docs/README.md"));
        assertTrue(e.getMessage().contains("docs/README.md") && e.getMessage().contains(ReadmeSection.BEGIN),
                e.getMessage());
        assertThrows(UserInputException.class,
                () -> ReadmeSection.replace(README + ReadmeSection.BEGIN + "\n", "x", "README.md"));
        assertThrows(UserInputException.class, () -> ReadmeSection.replace(
                ReadmeSection.END + "\n" + ReadmeSection.BEGIN + "\n", "x", "README.md"));
    }

    @Test
    void rewritesTheFileInPlace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("README.md");
        Files.writeString(f, README);
        ReadmeSection.replaceIn(f, "generated\n");
        String s = Files.readString(f);
        assertTrue(s.contains(ReadmeSection.BEGIN + "\ngenerated\n" + ReadmeSection.END), s);
        assertTrue(s.endsWith("## Next\nkept\n"), s);
        assertThrows(UserInputException.class, () -> ReadmeSection.replaceIn(dir.resolve("missing.md"), "x"));
    }
}
