package org.rnnsuite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.AtomicFiles;

/**
 * The generated part of a Markdown file: everything between {@value #BEGIN} and {@value #END} is replaced, the rest
 * is kept byte for byte, so the table is regenerated, never edited by hand.
 */
public final class ReadmeSection {
    /** Marker line before the generated part. */
    public static final String BEGIN = "<!-- bench:begin -->";
    /** Marker line after the generated part. */
    public static final String END = "<!-- bench:end -->";

    private ReadmeSection() {
    }

    /**
     * {@code text} with the part between the markers replaced by {@code generated}.
     *
     * @param source named in the error message
     * @throws UserInputException if the markers are missing, repeated or out of order
     */
    public static String replace(String text, String generated, String source) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < 0) {
            throw new UserInputException(source + " has no benchmark section: add a line '" + BEGIN
                    + "' and a line '" + END + "' where the table belongs");
        }
        if (text.indexOf(BEGIN, b + 1) >= 0 || text.indexOf(END, e + 1) >= 0) {
            throw new UserInputException(source + " has more than one '" + BEGIN + "' or '" + END
                    + "'; keep exactly one of each");
        }
        if (e < b) {
            throw new UserInputException(source + ": '" + END + "' comes before '" + BEGIN + "'");
        }
        String body = generated.endsWith("\n") ? generated : generated + "\n";
        return text.substring(0, b + BEGIN.length()) + "\n" + body + text.substring(e);
    }

    /** Rewrites {@code file} in place (atomically) with the generated part replaced. */
    public static void replaceIn(Path file, String generated) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UserInputException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        String updated = replace(text, generated, file.toString());
        try {
            AtomicFiles.writeString(file, updated);
        } catch (IOException ex) {
            throw new UserInputException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
