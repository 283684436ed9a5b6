package org.rnnsuite.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.rnnsuite.core.UserInputException;

/**
 * A dataset of labelled WAV clips, read from a folder-per-label tree (the layout of Speech Commands and of the Free
 * Spoken Digit Dataset sorted into folders): {@code DIR/<label>/*.wav}.
 *
 * <p>Splits: when {@code DIR} has a {@code train} folder, {@code DIR/train}, {@code DIR/valid} and {@code DIR/test}
 * are each such a tree (what {@code speech build-data} writes; valid and test may be absent). Otherwise every
 * speaker goes wholly to one split, chosen by a hash of the speaker name, so test speakers are never heard in
 * training; the speaker is the file-name prefix before the first underscore (Speech Commands names its files
 * {@code <speaker>_nohash_<n>.wav}). Folders whose names start with {@code _} or {@code .} are ignored (Speech
 * Commands' {@code _background_noise_}).
 *
 * @param train training clips
 * @param valid validation clips (may be empty)
 * @param test  test clips (may be empty)
 * @param root  the dataset folder
 */
public record SpeechCorpus(Path root, List<Utterance> train, List<Utterance> valid, List<Utterance> test) {

    /** Reads a dataset folder. */
    public static SpeechCorpus scan(Path dir, SpeechDataConfig cfg) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("dataset folder " + dir + (Files.exists(dir) ? " is not a folder"
                    : " does not exist") + " (expected DIR/<label>/*.wav, or DIR/train/<label>/*.wav)");
        }
        Path trainDir = dir.resolve("train");
        if (Files.isDirectory(trainDir)) {
            List<Utterance> train = tree(trainDir);
            List<Utterance> valid = Files.isDirectory(dir.resolve("valid")) ? tree(dir.resolve("valid")) : List.of();
            List<Utterance> test = Files.isDirectory(dir.resolve("test")) ? tree(dir.resolve("test")) : List.of();
            return new SpeechCorpus(dir, train, valid, test);
        }
        List<Utterance> all = tree(dir);
        List<Utterance> train = new ArrayList<>();
        List<Utterance> valid = new ArrayList<>();
        List<Utterance> test = new ArrayList<>();
        for (Utterance u : all) {
            int bucket = bucket(u.speaker());
            if (bucket < cfg.testPercent()) {
                test.add(u);
            } else if (bucket < cfg.testPercent() + cfg.validPercent()) {
                valid.add(u);
            } else {
                train.add(u);
            }
        }
        if (train.isEmpty()) {
            throw new UserInputException("dataset " + dir + ": no training clips left after holding out speakers "
                    + "for validation and test (lower data.validPercent / data.testPercent)");
        }
        return new SpeechCorpus(dir, train, valid, test);
    }

    /** All clips of one folder-per-label tree, sorted by label then file name (deterministic order). */
    public static List<Utterance> tree(Path dir) {
        List<Path> labelDirs;
        try (Stream<Path> s = Files.list(dir)) {
            labelDirs = s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("_")
                            && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UserInputException("cannot list dataset folder " + dir + ": " + e.getMessage(), e);
        }
        List<Utterance> out = new ArrayList<>();
        for (Path labelDir : labelDirs) {
            String label = labelDir.getFileName().toString();
            try (Stream<Path> s = Files.list(labelDir)) {
                s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                        .sorted()
                        .forEach(p -> out.add(new Utterance(p, label, speakerOf(p))));
            } catch (IOException e) {
                throw new UserInputException("cannot list " + labelDir + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new UserInputException("dataset folder " + dir + " holds no WAV files in label folders (expected "
                    + dir + "/<label>/*.wav)");
        }
        return out;
    }

    /** Labels of the training split, sorted. */
    public List<String> labels() {
        TreeSet<String> s = new TreeSet<>();
        train.forEach(u -> s.add(u.label()));
        return List.copyOf(s);
    }

    static String speakerOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        int us = stem.indexOf('_');
        return us > 0 ? stem.substring(0, us) : stem;
    }

    /** A stable bucket in [0, 100) per speaker, the same on every machine and JVM. */
    static int bucket(String speaker) {
        CRC32 crc = new CRC32();
        crc.update(speaker.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }
}
