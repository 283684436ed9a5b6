package org.rnnsuite.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's speaker lists and drawn voice variants; no synthesizer needed. */
class SpeechDataBuilderTest {

    private static SpeechDataBuilder builder(int randomSpeakers) {
        return builder(randomSpeakers, true);
    }

    private static SpeechDataBuilder builder(int randomSpeakers, boolean accentedValidation) {
        return new SpeechDataBuilder(new SpeechDataBuilder.Options(2024, 6, SpeechDataBuilder.DIGITS, 20, 10, 2,
                randomSpeakers, 8, true, accentedValidation, 30), null);
    }

    @Test
    void drawnVariantsAreDeterministicDistinctAndWithinHumanRanges() {
        assertEquals(SpeechDataBuilder.randomVariant(2024, 3), SpeechDataBuilder.randomVariant(2024, 3));
        assertNotEquals(SpeechDataBuilder.randomVariant(2024, 3), SpeechDataBuilder.randomVariant(2024, 4));
        assertNotEquals(SpeechDataBuilder.randomVariant(2024, 3), SpeechDataBuilder.randomVariant(2025, 3));
        int women = 0;
        for (int i = 0; i < 200; i++) {
            String v = SpeechDataBuilder.randomVariant(2024, i);
            assertTrue(v.startsWith("language variant\nname rnd" + String.format("%03d", i) + "\n"), v);
            int formants = 0;
            for (String line : v.split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("formant")) {
                    formants++;
                    int freq = Integer.parseInt(f[2]);
                    // men x0.93.., children up to x1.40, each formant moved at most 25 % more
                    assertTrue(freq >= 69 && freq <= 175, line);
                } else if (f[0].equals("pitch")) {
                    int lo = Integer.parseInt(f[1]);
                    int hi = Integer.parseInt(f[2]);
                    assertTrue(lo >= 70 && lo < hi && hi <= 360, line);
                } else if (line.equals("gender female")) {
                    women++;
                }
            }
            assertEquals(9, formants, v);
        }
        // 45 % men, 55 % women and children
        assertTrue(women > 80 && women < 140, "female variants: " + women);
    }

    @Test
    void drawnSpeakersJoinTrainingOnlyAndLeaveTheSplitAlone() {
        List<SpeechDataBuilder.Speaker> speakers = speakers("kal", "awb", "slt");
        Map<String, List<SpeechDataBuilder.Speaker>> without = builder(0).split(speakers, List.of());
        Map<String, List<SpeechDataBuilder.Speaker>> with = builder(12).split(speakers, List.of());
        assertEquals(without, with);
        assertEquals(6, without.get("test").stream().filter(s -> !s.natural()).count());
        assertEquals(1, without.get("test").stream().filter(SpeechDataBuilder.Speaker::natural).count());

        List<SpeechDataBuilder.Speaker> drawn = builder(12).randomSpeakers();
        assertEquals(12, drawn.size());
        assertEquals(12, drawn.stream().map(SpeechDataBuilder.Speaker::id).distinct().count());
        assertTrue(drawn.stream().allMatch(s -> s.id().startsWith("espeak.rnd-") && !s.natural()
                && s.voices().get(0).name().startsWith(SpeechDataBuilder.RANDOM_VARIANT)));
        assertTrue(builder(0).randomSpeakers().isEmpty());
    }

    @Test
    void theHtsAccentedWomanIsHeardInValidationOnly() {
        List<SpeechDataBuilder.Speaker> speakers = speakers("kal", "awb", "rms", "slt");
        List<SpeechDataBuilder.Speaker> accented = new ArrayList<>();
        for (String v : new java.util.TreeSet<>(SpeechDataBuilder.ACCENTED.keySet())) {
            accented.add(new SpeechDataBuilder.Speaker("accent." + v,
                    List.of(new SpeechDataBuilder.Voice("festival", v)), true, true));
        }
        Map<String, List<SpeechDataBuilder.Speaker>> plain = builder(0).split(speakers, List.of());
        Map<String, List<SpeechDataBuilder.Speaker>> held = builder(0).split(speakers, accented);
        Map<String, List<SpeechDataBuilder.Speaker>> trained = builder(0, false).split(speakers, accented);
        String ona = "accent." + SpeechDataBuilder.VALIDATION_ACCENTED;
        assertEquals(List.of(ona), ids(held.get("valid")).stream().filter(s -> s.startsWith("accent.")).toList());
        assertFalse(ids(held.get("train")).contains(ona));
        assertEquals(2, ids(held.get("train")).stream().filter(s -> s.startsWith("accent.")).count());
        assertEquals(3, ids(trained.get("train")).stream().filter(s -> s.startsWith("accent.")).count());
        assertTrue(ids(trained.get("valid")).stream().noneMatch(s -> s.startsWith("accent.")));
        // the other speakers stay where they were, and test never hears an accented voice
        for (String split : List.of("train", "valid", "test")) {
            assertEquals(ids(plain.get(split)), ids(held.get(split)).stream().filter(s -> !s.startsWith("accent."))
                    .toList(), split);
        }
        assertEquals(plain.get("test"), held.get("test"));
    }

    /** 30 espeak-ng speakers and the given natural ones (slt a woman), each with one flite voice. */
    private static List<SpeechDataBuilder.Speaker> speakers(String... natural) {
        List<SpeechDataBuilder.Speaker> speakers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            speakers.add(new SpeechDataBuilder.Speaker("espeak.v" + i,
                    List.of(new SpeechDataBuilder.Voice("espeak-ng", "v" + i)), false, false));
        }
        for (String n : natural) {
            speakers.add(new SpeechDataBuilder.Speaker(n, List.of(new SpeechDataBuilder.Voice("flite", n)), true,
                    n.equals("slt")));
        }
        return speakers;
    }

    private static List<String> ids(List<SpeechDataBuilder.Speaker> speakers) {
        return speakers.stream().map(SpeechDataBuilder.Speaker::id).toList();
    }

    @Test
    void takesOfOneWordDrawIndependently() {
        // the first draw decides the synthesizer voice of a two-voice speaker: takes 0..23 of a word must not all
        // agree (java.util.Random seeded with nearby numbers gives the same first bit)
        for (String word : SpeechDataBuilder.DIGITS) {
            int first = 0;
            for (int take = 0; take < 24; take++) {
                first += SpeechDataBuilder.random(2024, "slt|" + word + "|" + take).nextInt(2);
            }
            assertTrue(first >= 4 && first <= 20, word + ": voice 1 in " + first + " of 24 takes");
        }
    }

    @Test
    void accentedVoicesSpellEveryDigit() {
        SpeechDataBuilder.ACCENTED.forEach((voice, spelling) -> {
            assertEquals(SpeechDataBuilder.DIGITS, List.copyOf(spelling.keySet()), voice);
            assertTrue(spelling.values().stream().allMatch(w -> w.matches("[a-z]+")), voice + ": " + spelling);
        });
        SpeechDataBuilder words = new SpeechDataBuilder(new SpeechDataBuilder.Options(1, 1, List.of("up", "down"),
                20, 10, 1, 0, 8, true, true, 30), null);
        assertTrue(words.accentedSpeakers().isEmpty(), "accented voices only know the digits");
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> builder(-1));
        assertThrows(IllegalArgumentException.class, () -> builder(1001));
        assertEquals(48, SpeechDataBuilder.Options.defaults().randomSpeakers());
        assertEquals(0, SpeechDataBuilder.Options.defaults().vocodedPercent());
        assertThrows(IllegalArgumentException.class, () -> new SpeechDataBuilder.Options(1, 1,
                SpeechDataBuilder.DIGITS, 20, 10, 1, 0, 8, true, true, 101));
    }

    @Test
    void aFolderBuiltBeforeTheVocoderOptionIsAcceptedWithoutIt() throws Exception {
        String before = "{\"seed\":2024,\"perVoice\":6,\"words\":[\"zero\",\"one\",\"two\",\"three\",\"four\","
                + "\"five\",\"six\",\"seven\",\"eight\",\"nine\"],\"testPercent\":20,\"validPercent\":10,"
                + "\"threads\":2,\"randomSpeakers\":48,\"naturalTrainFactor\":8,\"accented\":true,"
                + "\"accentedValidation\":true}";
        SpeechDataBuilder.Options defaults = SpeechDataBuilder.Options.defaults();
        assertTrue(SpeechDataBuilder.sameOptions(before, defaults));
        assertTrue(SpeechDataBuilder.sameOptions(org.rnnsuite.core.config.Configs.toJson(defaults), defaults));
        SpeechDataBuilder.Options vocoded = new SpeechDataBuilder.Options(2024, 6, SpeechDataBuilder.DIGITS, 20, 10,
                2, 48, 8, true, true, 30);
        assertFalse(SpeechDataBuilder.sameOptions(before, vocoded));
        assertFalse(SpeechDataBuilder.sameOptions(org.rnnsuite.core.config.Configs.toJson(defaults), vocoded));
        assertFalse(SpeechDataBuilder.sameOptions(before.replace("2024", "2025"), defaults));
    }

    @Test
    void onlyTheChosenShareOfTrainingClipsIsVocoded() {
        int vocoded = 0;
        int whispered = 0;
        int clips = 0;
        for (String speaker : List.of("kal", "espeak.m3", "espeak.rnd007", "accent.czech-dita")) {
            for (String word : SpeechDataBuilder.DIGITS) {
                for (int take = 0; take < 48; take++) {
                    clips++;
                    String v = SpeechDataBuilder.vocoder(2024, "train", speaker, word, take, 30);
                    vocoded += v.equals("vocoded") ? 1 : 0;
                    whispered += v.equals("whispered") ? 1 : 0;
                    assertTrue(List.of("none", "vocoded", "whispered").contains(v), v);
                    assertEquals(v, SpeechDataBuilder.vocoder(2024, "train", speaker, word, take, 30));
                    assertEquals("none", SpeechDataBuilder.vocoder(2024, "valid", speaker, word, take, 30));
                    assertEquals("none", SpeechDataBuilder.vocoder(2024, "test", speaker, word, take, 30));
                    assertEquals("none", SpeechDataBuilder.vocoder(2024, "train", speaker, word, take, 0));
                    assertNotEquals("none", SpeechDataBuilder.vocoder(2024, "train", speaker, word, take, 100));
                }
            }
        }
        // 30 % of 1,920 clips: 576 +- 3 standard deviations (60), half of them whispered
        assertTrue(vocoded + whispered > 516 && vocoded + whispered < 636, vocoded + whispered + " of " + clips);
        assertTrue(Math.abs(vocoded - whispered) < 75, vocoded + " vocoded, " + whispered + " whispered");
    }

    @Test
    void aVoiceSaysEachTextOnceAndEveryTakeGetsTheSameBytes(@TempDir Path tmp) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        SpeechDataBuilder.Synthesis seven = file -> {
            calls.incrementAndGet();
            Files.write(file, new byte[]{7, 7, 7});
        };
        Path said = tmp.resolve("said");
        for (int take = 0; take < 3; take++) {
            Path raw = tmp.resolve("raw" + take + ".wav");
            SpeechDataBuilder.said(said, "festival-ked-c2V2ZW4", raw, seven);
            assertArrayEquals(new byte[]{7, 7, 7}, Files.readAllBytes(raw));
            Files.delete(raw); // as each clip does once sox has read it
        }
        assertEquals(1, calls.get());
        SpeechDataBuilder.said(said, "festival-ked-bmluZQ", tmp.resolve("raw.wav"), file -> {
            calls.incrementAndGet();
            Files.write(file, new byte[]{9});
        });
        assertEquals(2, calls.get());
        assertArrayEquals(new byte[]{9}, Files.readAllBytes(tmp.resolve("raw.wav")));
        // a synthesizer that fails leaves nothing behind to be copied next time
        assertThrows(IOException.class, () -> SpeechDataBuilder.said(said, "flite-kal-b25l", tmp.resolve("x.wav"),
                file -> {
                    Files.write(file, new byte[]{1});
                    throw new IOException("flite failed");
                }));
        assertFalse(Files.exists(said.resolve("flite-kal-b25l.wav")));
        assertFalse(Files.exists(tmp.resolve("x.wav.said")), "the half-written output is removed");
    }

    @Test
    void perSpeakerCountsAddUp() {
        SpeechEvaluation e = SpeechEvaluation.of(List.of("a", "b"), new int[]{0, 1, 1, 0, 1},
                new int[]{0, 0, 1, 0, 1}, List.of("x", "x", "y", "z", "z"));
        assertEquals(0.8, e.accuracy(), 1e-12);
        assertEquals(new SpeechEvaluation.SpeakerMetrics(1, 2), e.perSpeaker().get("x"));
        assertEquals(new SpeechEvaluation.SpeakerMetrics(2, 2), e.perSpeaker().get("z"));
        assertEquals("x", e.speakersByAccuracy().get(0).getKey());
        assertEquals(0.5, e.toJson().get("per_speaker").get("x").get("accuracy").asDouble(), 1e-12);
        assertTrue(SpeechEvaluation.of(List.of("a", "b"), new int[]{0}, new int[]{1}).perSpeaker().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SpeechEvaluation.of(List.of("a", "b"), new int[]{0, 1},
                new int[]{0, 1}, List.of("x")));
        assertFalse(e.toJson().has("log_loss"), "counts alone give no log-loss");
    }

    @Test
    void logLossIsTheMeanNegativeLogProbabilityOfTheTrueClass() {
        SpeechEvaluation e = SpeechEvaluation.ofProbabilities(List.of("a", "b"), new int[]{0, 1, 1},
                new double[][]{{0.9, 0.1}, {0.6, 0.4}, {0, 1}}, List.of("x", "x", "y"));
        assertEquals(2 / 3.0, e.accuracy(), 1e-12);
        assertEquals(1, e.confusion()[1][0], "the second clip is predicted as its most probable class, a");
        assertEquals(-(Math.log(0.9) + Math.log(0.4) + Math.log(1)) / 3, e.logLoss(), 1e-12);
        assertEquals(e.logLoss(), e.toJson().get("log_loss").asDouble(), 1e-12);
        SpeechEvaluation sure = SpeechEvaluation.ofProbabilities(List.of("a", "b"), new int[]{0},
                new double[][]{{0, 1}}, null);
        assertEquals(-Math.log(SpeechEvaluation.MIN_PROBABILITY), sure.logLoss(), 1e-9,
                "a confident mistake costs a finite amount");
        assertThrows(IllegalArgumentException.class, () -> SpeechEvaluation.ofProbabilities(List.of("a", "b"),
                new int[]{0}, new double[][]{{1}}, null));
    }
}
