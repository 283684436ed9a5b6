package org.rnnsuite.charlm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.data.DataHash;

/**
 * The text a model is trained or evaluated on: one or more UTF-8 files, concatenated in the order given (files of a
 * directory in name order). Every problem is reported naming the file: missing, empty, binary or not UTF-8, a
 * directory without {@code .txt} files.
 *
 * @param files    the files read, in order
 * @param text     their contents concatenated (a byte order mark at the start of a file is dropped)
 * @param dataHash SHA-256 over the files' bytes, recorded in the model's provenance
 */
public record TextCorpus(List<Path> files, String text, String dataHash) {

    public TextCorpus {
        files = List.copyOf(files);
    }

    /** Reads the given files and directories (directories contribute their {@code *.txt} files, recursively). */
    public static TextCorpus load(List<Path> paths) {
        if (paths == null || paths.isEmpty()) {
            throw new UserInputException("no text given: name at least one UTF-8 text file or directory");
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            files.addAll(expand(p));
        }
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(read(f));
        }
        return new TextCorpus(files, all.toString(), DataHash.ofFiles(files));
    }

    /** A description of the source for messages: the file, or the first file and how many more. */
    public String source() {
        return files.size() == 1 ? files.get(0).toString()
                : files.get(0) + " and " + (files.size() - 1) + " more file" + (files.size() > 2 ? "s" : "");
    }

    /** Number of characters (Unicode code points). */
    public int length() {
        return text.codePointCount(0, text.length());
    }

    private static List<Path> expand(Path p) {
        if (Files.isDirectory(p)) {
            List<Path> txt;
            try (Stream<Path> s = Files.walk(p)) {
                txt = s.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UserInputException("cannot list directory " + p + ": " + e.getMessage(), e);
            }
            if (txt.isEmpty()) {
                throw new UserInputException("directory " + p + " holds no text files (*.txt)");
            }
            return txt;
        }
        if (!Files.exists(p)) {
            throw new UserInputException("text file " + p + " does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new UserInputException(p + " is neither a text file nor a directory");
        }
        return List.of(p);
    }

    private static String read(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UserInputException("cannot read text file " + f + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new UserInputException("text file " + f + " is empty");
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String s;
        try {
            s = dec.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (MalformedInputException e) {
            throw new UserInputException("text file " + f + " is not UTF-8 text (invalid byte sequence; a binary "
                    + "file or another encoding?)", e);
        } catch (CharacterCodingException e) {
            throw new UserInputException("text file " + f + " is not UTF-8 text: " + e.getMessage(), e);
        }
        // valid UTF-8 can still be binary: NUL and most other control characters never occur in prose
        long control = s.chars().filter(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f').count();
        if (s.indexOf('\0') >= 0 || control * 100 > s.length()) {
            throw new UserInputException("text file " + f + " looks binary (it contains NUL or many control "
                    + "characters); give UTF-8 text");
        }
        if (s.startsWith("\uFEFF")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new UserInputException("text file " + f + " is empty");
        }
        return s;
    }
}
