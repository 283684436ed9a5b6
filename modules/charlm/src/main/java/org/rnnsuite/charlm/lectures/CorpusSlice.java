package org.rnnsuite.charlm.lectures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnnsuite.core.UserInputException;

/** The first {@code chars} characters of a text file, written next to an experiment's outputs. */
final class CorpusSlice {
    private CorpusSlice() {
    }

    static Path of(Path text, int chars, Path dir) throws IOException {
        String s;
        try {
            s = Files.readString(text, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserInputException("text " + text + " does not exist");
        }
        if (chars > 0 && s.length() > chars) {
            s = s.substring(0, chars);
        }
        Files.createDirectories(dir);
        Path out = dir.resolve("corpus-" + s.length() + ".txt");
        Files.writeString(out, s, StandardCharsets.UTF_8);
        return out;
    }
}
