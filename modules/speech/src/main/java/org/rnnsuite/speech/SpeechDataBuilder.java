package org.rnnsuite.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.AtomicFiles;
import org.rnnsuite.core.config.Check;
import org.rnnsuite.core.config.Configs;

/**
 * Builds a spoken-word dataset from speech synthesizers, augmented towards microphone recordings.
 *
 * <p>Speakers: every espeak-ng voice variant ({@code +m3}, {@code +Alex}, ...) is one speaker, speaking with
 * English dialects drawn per clip; flite and festival voices (kal, awb, rms, slt, ked) are speakers too, and the
 * same person under two engines (kal, slt) counts as one speaker. <b>Whole speakers go to one split</b>, so test
 * accuracy measures generalization to voices never heard in training. Training alone also gets drawn espeak-ng
 * speakers ({@link #randomVariant}) and women speaking the digits with an accent ({@link #ACCENTED}), one of whom
 * ({@link #VALIDATION_ACCENTED}) is heard in validation instead; they do not change which of the other speakers go
 * to validation and test.
 *
 * <p>Each clip: synthesizer with random rate and pitch, then one sox chain (resample to 16 kHz mono, trim
 * silence, tempo and pitch shift (formants move with it, like a shorter or longer vocal tract), optional band
 * limit as by a phone or cheap microphone, optional room reverb,
 * level between -25 and -1 dBFS, silence padding; optionally, for training clips, a {@link Vocoder} between the voice
 * and the channel), then noise (white, pink, brown or mains hum) mixed at a signal
 * to noise ratio drawn from none / 30 / 20 / 10 / 5 dB. Every random choice comes from (seed, speaker, word, take),
 * so a build is deterministic, and clips already on disk are kept (the build is resumable).
 *
 * <p>Layout: {@code OUT/{train,valid,test}/<word>/<speaker>_<engine>-<voice>_<take>.wav}, plus {@code manifest.csv}
 * with every clip's settings and {@code build.json} with the options.
 */
public final class SpeechDataBuilder {
    /** Debian packages that provide the tools; printed when one is missing. */
    public static final String APT_PACKAGES = "espeak-ng sox flite festival festvox-kallpc16k festvox-kdlpc16k "
            + "festvox-us-slt-hts festvox-ca-ona-hts festvox-suopuhe-lj festvox-czech-dita sptk";
    /** The ten digits, the default vocabulary. */
    public static final List<String> DIGITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    private static final List<String> DIALECTS = List.of("en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan",
            "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc");
    /** espeak-ng variants that do not sound like a person (robots, test voices). */
    private static final List<String> NOT_HUMAN = List.of("robosoft", "robot", "demonic", "fast", "announcer",
            "universal", "storm", "tweaky", "mr", "kaukovalta", "iven");
    private static final int RATE = 16000;

    /**
     * Options of a build.
     *
     * @param seed         seed of every random choice
     * @param perVoice     takes of each word per espeak-ng speaker; the few natural voices get four times as many in
     *                     validation and test, and {@code naturalTrainFactor} times as many in training; 1..100
     *                     (default 6)
     * @param words        the vocabulary (default the ten digits)
     * @param testPercent  percentage of espeak-ng speakers held out for test (plus one natural voice); 5..50
     *                     (default 20)
     * @param validPercent likewise for validation; 5..50 (default 10)
     * @param threads      parallel synthesis jobs; 1..64 (default 2)
     * @param randomSpeakers extra training-only speakers made by drawing espeak-ng voice variants (vocal tract
     *                     length, formant pattern, pitch, breathiness) within the range of men's, women's and
     *                     children's voices; 0..1000 (default 48). They never enter validation or test, and the
     *                     split of the other speakers does not depend on them
     * @param naturalTrainFactor takes of the natural voices in training, as a multiple of {@code perVoice}; 1..50
     *                     (default 8: the few recorded people weigh about as much as the drawn voices)
     * @param accented     whether the {@link #ACCENTED} speakers are heard too (default true; only with the digits as
     *                     words)
     * @param accentedValidation whether the accented {@link #VALIDATION_ACCENTED} woman is heard in validation (with
     *                     the natural voices' validation takes) instead of training (default true). The test split
     *                     holds a natural woman partly rendered by festival's HTS vocoder (slt); without this,
     *                     validation has no woman's natural voice and no HTS voice, and choices made on it cannot
     *                     see how a model does on such a voice
     * @param vocodedPercent percentage of training clips whose voice is resynthesized by a vocoder ({@link
     *                     Vocoder}: the spectral envelope and pitch are kept, the synthesizer's own excitation and
     *                     phase are replaced by pulses and noise, or, for half of them, by noise alone: whispered)
     *                     before the channel effects; 0..100 (default 0). Validation and test clips never are.
     *                     Statistical speech synthesis (festival's HTS voices) and low-bit-rate speech codecs
     *                     deliver speech this way, and the training voices' own excitation is otherwise a cue a
     *                     model can lean on. At 30 it raised single models (mean of ten seeds +0.6 points on
     *                     validation and on test) but not their ten-model ensemble on validation: off by default
     */
    public record Options(long seed, int perVoice, List<String> words, int testPercent, int validPercent,
                          int threads, int randomSpeakers, int naturalTrainFactor, boolean accented,
                          boolean accentedValidation, int vocodedPercent) {
        public Options {
            Check.range("perVoice", perVoice, 1, 100);
            Check.range("randomSpeakers", randomSpeakers, 0, 1000);
            Check.range("naturalTrainFactor", naturalTrainFactor, 1, 50);
            Check.range("vocodedPercent", vocodedPercent, 0, 100);
            Check.range("testPercent", testPercent, 5, 50);
            Check.range("validPercent", validPercent, 5, 50);
            Check.range("threads", threads, 1, 64);
            if (words == null || words.size() < 2) {
                throw new IllegalArgumentException("words: need at least two words");
            }
            for (String w : words) {
                if (!w.matches("[a-z][a-z' -]*")) {
                    throw new IllegalArgumentException("words: '" + w + "' must be lower-case letters");
                }
            }
            words = List.copyOf(words);
        }

        public static Options defaults() {
            return new Options(2024, 6, DIGITS, 20, 10, 2, 48, 8, true, true, 0);
        }
    }

    /**
     * A synthesizer voice.
     *
     * @param engine espeak-ng, flite or festival
     * @param name   the engine's voice name
     */
    record Voice(String engine, String name) {
    }

    /** A speaker: one or more voices of one person; natural voices also say whether the person is female. */
    record Speaker(String id, List<Voice> voices, boolean natural, boolean female) {
    }

    /** The one female among the natural voices (kal, ked, awb and rms are male). */
    private static final List<String> FEMALE_NATURAL = List.of("slt");

    /**
     * Women who speak the digits with an accent: festival voices of other languages (Catalan, Finnish, Czech)
     * reading the English words spelled the way a speaker of that language would say them. Training only, only for
     * the ten digits, and skipped (with a message) where the voice is not installed. These speakers add what the
     * English voices lack: recorded women (one with an HTS vocoder), non-native pronunciation.
     */
    static final Map<String, Map<String, String>> ACCENTED = Map.of(
            "upc_ca_ona_hts", spellings("ziro uan tu tri for faiv sics seven eit nain"),
            "suo_fi_lj_diphone", spellings("siirou uan tuu trii foor faiv siks seven eit nain"),
            "czech_dita", spellings("ziro uan tu tri for fajf siks seven ejt najn"));
    /**
     * The accented speaker heard in validation rather than training ({@link Options#accentedValidation()}): a
     * recorded woman through an HTS vocoder. Held out of training, single models recognized 76-77 % of her clips and
     * the shipped ten-model ensemble 80 %, where validation's other voices score 93-100 %.
     */
    static final String VALIDATION_ACCENTED = "upc_ca_ona_hts";

    private static Map<String, String> spellings(String tenWords) {
        String[] w = tenWords.split(" ");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < DIGITS.size(); i++) {
            m.put(DIGITS.get(i), w[i]);
        }
        return m;
    }

    /** What a build produced. */
    public record Summary(Map<String, Integer> clipsPerSplit, Map<String, List<String>> speakersPerSplit,
                          int created, int kept, double seconds) {
    }

    /** Prefix of the drawn espeak-ng variants' names. */
    static final String RANDOM_VARIANT = "rnd";
    private final Options options;
    private final PrintStream progress;
    /** A copy of espeak-ng's data folder with the drawn variants (for espeak-ng's --path), or null. */
    private Path espeakData;

    public SpeechDataBuilder(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Builds (or completes) the dataset in {@code out}. */
    public Summary build(Path out) {
        long t0 = System.nanoTime();
        requireTool("espeak-ng", "--version");
        requireTool("sox", "--version");
        if (options.vocodedPercent() > 0 && !Vocoder.available()) {
            throw new UserInputException("SPTK (the 'sptk' command) is not installed; the speech data builder needs "
                    + "it for --vocoded-percent " + options.vocodedPercent() + " (Debian: apt-get install -y "
                    + APT_PACKAGES + ")");
        }
        checkOptions(out);
        List<Speaker> speakers = speakers();
        Map<String, List<Speaker>> splits = split(speakers, accentedSpeakers());
        List<Speaker> random = randomSpeakers();
        splits.get("train").addAll(random);
        Map<String, List<String>> speakerIds = new LinkedHashMap<>();
        splits.forEach((k, v) -> speakerIds.put(k, v.stream().map(Speaker::id).toList()));
        say("speakers: " + speakerIds.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size()).toList()
                + "; test speakers: " + String.join(" ", speakerIds.get("test")));

        List<Job> jobs = new ArrayList<>();
        for (Map.Entry<String, List<Speaker>> e : splits.entrySet()) {
            for (Speaker s : e.getValue()) {
                int takes = !s.natural() ? options.perVoice()
                        : options.perVoice() * (e.getKey().equals("train") ? options.naturalTrainFactor() : 4);
                for (String word : options.words()) {
                    for (int k = 0; k < takes; k++) {
                        jobs.add(new Job(e.getKey(), s, word, k));
                    }
                }
            }
        }
        Path tmp = out.resolve(".tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UserInputException("cannot create " + tmp + ": " + e.getMessage(), e);
        }
        if (!random.isEmpty()) {
            espeakData = randomVoiceData(tmp, options.seed(), options.randomSpeakers());
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        String[] rows = new String[jobs.size()];
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        List<Future<?>> futures = new ArrayList<>();
        long[] lastReport = {System.nanoTime()};
        for (int i = 0; i < jobs.size(); i++) {
            int idx = i;
            futures.add(pool.submit(() -> {
                Job j = jobs.get(idx);
                rows[idx] = make(j, out, tmp, created);
                int n = done.incrementAndGet();
                synchronized (lastReport) {
                    if (System.nanoTime() - lastReport[0] > 10e9 || n == jobs.size()) {
                        lastReport[0] = System.nanoTime();
                        say(String.format(Locale.ROOT, "clips %d/%d (%.0f s)", n, jobs.size(),
                                (System.nanoTime() - t0) / 1e9));
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        StringBuilder csv = new StringBuilder("split,label,file,speaker,engine,voice,dialect,rate,pitch,tempo,"
                + "pitchCents,band,reverb,levelDb,noise,snrDb,padBefore,padAfter,vocoder\n");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            csv.append(rows[i]).append('\n');
            counts.merge(jobs.get(i).split(), 1, Integer::sum);
        }
        try {
            AtomicFiles.writeString(out.resolve("manifest.csv"), csv.toString());
            if (espeakData != null) {
                deleteTree(espeakData);
            }
            if (Files.isDirectory(tmp.resolve("said"))) {
                deleteTree(tmp.resolve("said"));
            }
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest in " + out, e);
        }
        return new Summary(counts, speakerIds, created.get(), jobs.size() - created.get(),
                (System.nanoTime() - t0) / 1e9);
    }

    private void checkOptions(Path out) {
        Path meta = out.resolve("build.json");
        try {
            if (Files.exists(meta)) {
                if (!sameOptions(Files.readString(meta), options)) {
                    throw new UserInputException("dataset folder " + out + " was built with other options ("
                            + meta + "); choose another --out or delete it");
                }
            } else {
                Files.createDirectories(out);
                AtomicFiles.writeString(meta, Configs.toJson(options));
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write to " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a folder's {@code build.json} records these options. Folders built before an option existed were
     * built as with its neutral value: {@code vocodedPercent} 0.
     */
    static boolean sameOptions(String buildJson, Options options) throws IOException {
        JsonNode old = Configs.mapper().readTree(buildJson);
        if (old instanceof ObjectNode o && !o.has("vocodedPercent")) {
            o.put("vocodedPercent", 0);
        }
        try {
            return Configs.mapper().treeToValue(old, Options.class).equals(options);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Every available speaker, in a fixed order. */
    List<Speaker> speakers() {
        List<Speaker> out = new ArrayList<>();
        for (String v : espeakVariants()) {
            out.add(new Speaker("espeak." + v.toLowerCase(Locale.ROOT).replace('_', '-'),
                    List.of(new Voice("espeak-ng", v)), false, false));
        }
        Map<String, List<Voice>> natural = new LinkedHashMap<>();
        if (toolWorks("flite", "-lv")) {
            for (String v : List.of("kal", "kal16", "awb", "rms", "slt")) {
                String person = v.startsWith("kal") ? "kal" : v;
                if (synthWorks(new Voice("flite", v))) {
                    natural.computeIfAbsent(person, k -> new ArrayList<>()).add(new Voice("flite", v));
                }
            }
        } else {
            say("flite not found: its voices are skipped (apt-get install -y flite)");
        }
        if (toolWorks("text2wave", "-h")) {
            for (String[] v : new String[][]{{"kal_diphone", "kal"}, {"ked_diphone", "ked"},
                    {"cmu_us_slt_arctic_hts", "slt"}}) {
                Voice voice = new Voice("festival", v[0]);
                if (synthWorks(voice)) {
                    natural.computeIfAbsent(v[1], k -> new ArrayList<>()).add(voice);
                }
            }
        } else {
            say("festival (text2wave) not found: its voices are skipped (apt-get install -y festival "
                    + "festvox-kallpc16k)");
        }
        natural.forEach((person, voices) -> out.add(new Speaker(person, List.copyOf(voices), true,
                FEMALE_NATURAL.contains(person))));
        return out;
    }

    /**
     * The random source of one (seed, key). The key's hash is mixed first: {@code java.util.Random}'s first draws
     * from seeds that differ in a few low bits agree (two takes of one word would get the same synthesizer voice).
     */
    static Random random(long seed, String key) {
        return new Random(new SplittableRandom(seed * 1_000_003L + key.hashCode()).nextLong());
    }

    /**
     * How a clip's voice goes through the {@link Vocoder}: {@code none}, {@code vocoded} (pulses at its pitch where
     * voiced) or {@code whispered} (noise throughout), half and half. Training clips only, {@code percent} of them,
     * drawn from a random source of their own so that the clip's other settings are those of a build without the
     * vocoder.
     */
    static String vocoder(long seed, String split, String speaker, String word, int take, int percent) {
        if (!split.equals("train") || percent == 0) {
            return "none";
        }
        Random r = random(seed, speaker + "|" + word + "|" + take + "|vocoder");
        if (r.nextInt(100) >= percent) {
            return "none";
        }
        return r.nextBoolean() ? "vocoded" : "whispered";
    }

    /** The accented training-only speakers whose voices are installed (none unless the words are the digits). */
    List<Speaker> accentedSpeakers() {
        List<Speaker> out = new ArrayList<>();
        if (!options.accented() || !DIGITS.containsAll(options.words()) || !toolWorks("text2wave", "-h")) {
            return out;
        }
        for (String name : new java.util.TreeSet<>(ACCENTED.keySet())) {
            Voice v = new Voice("festival", name);
            if (synthWorks(v)) {
                out.add(new Speaker("accent." + name.replaceAll("_(diphone|hts)$", "").replace('_', '-'), List.of(v),
                        true, true));
            } else {
                say("festival voice " + name + " not installed: skipped (apt-get install -y " + APT_PACKAGES + ")");
            }
        }
        return out;
    }

    /** The drawn training-only speakers: {@code espeak.rnd-000}, ... with variants {@code rnd000}, ... */
    List<Speaker> randomSpeakers() {
        List<Speaker> out = new ArrayList<>();
        for (int i = 0; i < options.randomSpeakers(); i++) {
            String name = String.format(Locale.ROOT, "%s%03d", RANDOM_VARIANT, i);
            out.add(new Speaker("espeak." + RANDOM_VARIANT + "-" + name.substring(RANDOM_VARIANT.length()),
                    List.of(new Voice("espeak-ng", name)), false, false));
        }
        return out;
    }

    /** How far each of formants 1..5 of a drawn variant moves on its own, as a fraction (uniform, both ways). */
    static final double[] FORMANT_SPREAD = {0.20, 0.25, 0.20, 0.15, 0.10};

    /**
     * The text of drawn espeak-ng variant {@code index}: a man (45 %), woman (45 %) or child (10 %), with a vocal
     * tract length factor for the kind (formant frequencies x0.93-1.07, x1.08-1.25, x1.25-1.40 of espeak-ng's
     * male voice: women's formants lie ~15-20 % above men's, children's ~30-40 %), each formant moved on its own
     * by a further {@link #FORMANT_SPREAD} (up to +-25 % for the second, which varies most between speakers and
     * accents), formant heights and widths varied, a pitch range for the kind, voicing and consonant loudness, and
     * some flutter, roughness and breathiness.
     *
     * <p>The per-formant spread follows espeak-ng's own training-split variants, which move single formants far
     * more than a vocal tract length does (the second formant over the first from x0.75 to x1.8, voicing 20-200).
     * Against a narrower draw (+-8 %, +-12 % for the second; voicing 60-100), five seeds of the 2x128 GRU gained on
     * validation (mean 93.61 to 94.47 %, their ensemble 96.11 to 96.67 %) and held test accuracy (mean 94.87 to
     * 95.07 %, ensemble 95.67 to 96.00 %).
     */
    static String randomVariant(long seed, int index) {
        Random r = random(seed, "variant|" + index);
        double kind = r.nextDouble();
        double scale;
        int pitchBase;
        if (kind < 0.45) {
            scale = 0.93 + 0.14 * r.nextDouble();
            pitchBase = 70 + r.nextInt(51);
        } else if (kind < 0.9) {
            scale = 1.08 + 0.17 * r.nextDouble();
            pitchBase = 140 + r.nextInt(71);
        } else {
            scale = 1.25 + 0.15 * r.nextDouble();
            pitchBase = 200 + r.nextInt(61);
        }
        int pitchTop = pitchBase + 25 + r.nextInt(71);
        StringBuilder b = new StringBuilder("language variant\n");
        b.append(String.format(Locale.ROOT, "name %s%03d\n", RANDOM_VARIANT, index));
        b.append(kind < 0.45 ? "gender male\n" : "gender female\n");
        b.append("pitch ").append(pitchBase).append(' ').append(pitchTop).append('\n');
        b.append("flutter ").append(r.nextInt(16)).append('\n');
        b.append("roughness ").append(r.nextInt(6)).append('\n');
        for (int f = 0; f <= 8; f++) {
            double jitter = f >= 1 && f <= 5 ? FORMANT_SPREAD[f - 1] : 0.0;
            double base = f == 0 ? 1 + 0.1 * (2 * r.nextDouble() - 1) : scale;
            double freq = base * (1 + jitter * (2 * r.nextDouble() - 1));
            int height = f <= 5 ? 60 + r.nextInt(71) : 70 + r.nextInt(31);
            int width = 80 + r.nextInt(91);
            b.append(String.format(Locale.ROOT, "formant %d %d %d %d\n", f, Math.round(100 * freq), height, width));
        }
        if (r.nextDouble() < 0.3) {
            // breathiness of formants 1..7 (0 for the lowest)
            b.append("breath 0").append((" " + (1 + r.nextInt(6))).repeat(7)).append('\n');
        }
        b.append("voicing ").append(40 + r.nextInt(111)).append('\n');
        b.append("consonants ").append(60 + r.nextInt(91)).append('\n');
        return b.toString();
    }

    /**
     * Copies espeak-ng's data folder into {@code tmp} and writes the drawn variants into it; returns the folder to
     * pass to espeak-ng's {@code --path}.
     */
    private Path randomVoiceData(Path tmp, long seed, int count) {
        String version = capture(List.of("espeak-ng", "--version"));
        int at = version.indexOf("Data at:");
        if (at < 0) {
            throw new UserInputException("cannot find espeak-ng's data folder in '" + version.trim() + "'");
        }
        Path data = Path.of(version.substring(at + "Data at:".length()).trim());
        Path root = tmp.resolve("espeak");
        Path copy = root.resolve("espeak-ng-data");
        try {
            deleteTree(root);
            try (var files = Files.walk(data)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(data.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            Path variants = copy.resolve("voices").resolve("!v");
            Files.createDirectories(variants);
            for (int i = 0; i < count; i++) {
                String text = randomVariant(seed, i);
                Files.writeString(variants.resolve(String.format(Locale.ROOT, "%s%03d", RANDOM_VARIANT, i)), text);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot prepare espeak-ng voices in " + root + ": " + e.getMessage(), e);
        }
        return root;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Splits speakers: espeak-ng ones by percentage, natural ones one each to test and valid, the rest to train; the
     * accented ones to training, except {@link #VALIDATION_ACCENTED} to validation when
     * {@link Options#accentedValidation()}. The accented ones do not change where the others go.
     */
    Map<String, List<Speaker>> split(List<Speaker> speakers, List<Speaker> accented) {
        List<Speaker> synthetic = new ArrayList<>(speakers.stream().filter(s -> !s.natural()).toList());
        List<Speaker> natural = new ArrayList<>(speakers.stream().filter(Speaker::natural).toList());
        Collections.shuffle(synthetic, new Random(options.seed()));
        Collections.shuffle(natural, new Random(options.seed() + 1));
        int nTest = Math.max(1, Math.round(synthetic.size() * options.testPercent() / 100f));
        int nValid = Math.max(1, Math.round(synthetic.size() * options.validPercent() / 100f));
        Map<String, List<Speaker>> out = new LinkedHashMap<>();
        out.put("train", new ArrayList<>(synthetic.subList(Math.min(synthetic.size(), nTest + nValid),
                synthetic.size())));
        out.put("valid", new ArrayList<>(synthetic.subList(Math.min(synthetic.size(), nTest),
                Math.min(synthetic.size(), nTest + nValid))));
        out.put("test", new ArrayList<>(synthetic.subList(0, Math.min(synthetic.size(), nTest))));
        for (int i = 0; i < natural.size(); i++) {
            // with three or more natural speakers one is heard only in test and one only in validation
            String split = natural.size() >= 3 && i == 0 ? "test" : natural.size() >= 3 && i == 1 ? "valid" : "train";
            out.get(split).add(natural.get(i));
        }
        for (Speaker s : accented) {
            boolean held = options.accentedValidation() && s.voices().get(0).name().equals(VALIDATION_ACCENTED);
            out.get(held ? "valid" : "train").add(s);
        }
        if (out.get("train").isEmpty()) {
            throw new UserInputException("too few voices to split: found " + speakers.size());
        }
        return out;
    }

    private record Job(String split, Speaker speaker, String word, int take) {
    }

    /** Makes one clip unless it exists; returns its manifest row. */
    private String make(Job j, Path out, Path tmp, AtomicInteger created) {
        Random r = random(options.seed(), j.speaker().id() + "|" + j.word() + "|" + j.take());
        Voice v = j.speaker().voices().get(r.nextInt(j.speaker().voices().size()));
        String dialect = DIALECTS.get(r.nextInt(DIALECTS.size()));
        int rate = 120 + r.nextInt(101);
        int pitch = 15 + r.nextInt(71);
        double tempo = "espeak-ng".equals(v.engine()) ? 0.95 + 0.1 * r.nextDouble() : 0.8 + 0.4 * r.nextDouble();
        // sox's pitch shift moves the formants with the pitch, like a shorter or longer vocal tract: +-250 cents on
        // espeak-ng voices (they come in both sexes); the few natural voices are shifted further, towards the other
        // sex (a female vocal tract is ~15-20 % shorter, +250..+320 cents): male ones -300..+700 cents, the
        // female one -700..+300, so every shifted voice stays within the range of human voices
        int cents;
        if ("espeak-ng".equals(v.engine())) {
            cents = r.nextInt(501) - 250;
        } else {
            cents = j.speaker().female() ? r.nextInt(1001) - 700 : r.nextInt(1001) - 300;
        }
        String[] bands = {"none", "none", "none", "phone", "lowpass", "highpass", "cheapmic"};
        String band = bands[r.nextInt(bands.length)];
        boolean reverb = r.nextDouble() < 0.5;
        int reverberance = 20 + r.nextInt(61);
        int roomScale = 30 + r.nextInt(71);
        double level = -25 + 24 * r.nextDouble();
        String[] noises = {"white", "pink", "brown", "hum"};
        String noise = noises[r.nextInt(noises.length)];
        double[] snrs = {Double.NaN, 30, 20, 10, 5};
        double snr = snrs[r.nextInt(snrs.length)];
        double padBefore = 0.05 + 0.3 * r.nextDouble();
        double padAfter = 0.05 + 0.3 * r.nextDouble();
        long noiseSeed = r.nextLong();
        String vocoder = vocoder(options.seed(), j.split(), j.speaker().id(), j.word(), j.take(),
                options.vocodedPercent());
        boolean vocode = !vocoder.equals("none");

        String voiceTag = (v.engine().equals("espeak-ng") ? "espeak" : v.engine()) + "-"
                + v.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String name = j.speaker().id() + "_" + voiceTag + (v.engine().equals("espeak-ng") ? "-" + dialect : "")
                + (vocode ? "-" + vocoder : "") + "_" + j.take() + ".wav";
        Path file = out.resolve(j.split()).resolve(j.word()).resolve(name);
        String row = String.join(",", j.split(), j.word(), out.relativize(file).toString(), j.speaker().id(),
                v.engine(), v.name(), v.engine().equals("espeak-ng") ? dialect : "", Integer.toString(rate),
                Integer.toString(pitch), fmt(tempo), Integer.toString(cents), band, reverb ? reverberance + "/"
                        + roomScale : "none", fmt(level), Double.isNaN(snr) ? "none" : noise,
                Double.isNaN(snr) ? "" : fmt(snr), fmt(padBefore), fmt(padAfter), vocoder);
        if (Files.exists(file)) {
            return row;
        }
        String stem = Long.toHexString(Thread.currentThread().getId()) + "-" + Integer.toHexString(name.hashCode());
        Path raw = tmp.resolve(stem + "-raw.wav");
        Path clean = tmp.resolve(stem + "-clean.wav");
        Path voice = tmp.resolve(stem + "-voice.wav");
        try {
            synthesize(v, dialect, rate, pitch, j.word(), raw);
            List<String> sox = new ArrayList<>(List.of("sox", "-R", "-V1", raw.toString(), "-r", "16000", "-c", "1",
                    "-b", "16", clean.toString()));
            // to the target rate first: band limits below must be valid for 8 kHz voices too
            sox.addAll(List.of("channels", "1", "rate", "-h", "16000"));
            // trim leading and trailing silence, so padding below is the only silence: at 60 dB below the peak (the
            // level is normalized first), so that weak consonants at the edges stay (a fixed threshold cut the /f/ of
            // "four" from quiet synthesizer output)
            sox.addAll(List.of("gain", "-n", "-1"));
            sox.addAll(List.of("silence", "1", "0.02", "0.1%", "reverse", "silence", "1", "0.02", "0.1%", "reverse"));
            if (Math.abs(tempo - 1) > 0.01) {
                sox.addAll(List.of("tempo", "-s", fmt(tempo)));
            }
            if (cents != 0) {
                // sox's pitch changes the effects chain's sample rate: back to 16 kHz before the band limits
                sox.addAll(List.of("pitch", Integer.toString(cents), "rate", "-h", "16000"));
            }
            if (vocode) {
                // the voice so far goes through the vocoder, then the channel below goes on from its output (one
                // sox chain for the others, so their clips are the same files as in builds without the vocoder)
                sox.set(sox.indexOf(clean.toString()), voice.toString());
                run(sox, voice);
                Vocoder.resynthesize(voice, voice, tmp.resolve(stem + "-vocoder"), vocoder.equals("whispered"));
                sox = new ArrayList<>(List.of("sox", "-R", "-V1", voice.toString(), "-r", "16000", "-c", "1",
                        "-b", "16", clean.toString()));
            }
            switch (band) {
                case "phone" -> sox.addAll(List.of("sinc", "300-3400"));
                case "lowpass" -> sox.addAll(List.of("lowpass", Integer.toString(3000 + r.nextInt(3001))));
                case "highpass" -> sox.addAll(List.of("highpass", Integer.toString(100 + r.nextInt(201))));
                case "cheapmic" -> sox.addAll(List.of("sinc", "200-5000", "equalizer", "1500", "1q", "6"));
                default -> {
                }
            }
            sox.addAll(List.of("pad", fmt(padBefore), fmt(padAfter)));
            if (reverb) {
                sox.addAll(List.of("reverb", Integer.toString(reverberance), "50", Integer.toString(roomScale)));
            }
            sox.addAll(List.of("gain", "-n", fmt(level)));
            run(sox, file);
            Audio a = WavReader.read(clean, 0, 0);
            if (a.sampleRate() != RATE) {
                throw new IllegalStateException("sox wrote " + a.sampleRate() + " Hz for " + file);
            }
            float[] x = Double.isNaN(snr) ? a.samples() : addNoise(a.samples(), RATE, noise, snr, noiseSeed);
            Files.createDirectories(file.getParent());
            WavWriter.write(file, new Audio(x, RATE));
            created.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(raw);
                Files.deleteIfExists(clean);
                Files.deleteIfExists(voice);
            } catch (IOException ignored) {
                // temporary files are removed with the .tmp folder at the end
            }
        }
        return row;
    }

    private void synthesize(Voice v, String dialect, int rate, int pitch, String word, Path raw)
            throws IOException {
        switch (v.engine()) {
            case "espeak-ng" -> {
                List<String> cmd = new ArrayList<>(List.of("espeak-ng", "-v", dialect + "+" + v.name(), "-s",
                        Integer.toString(rate), "-p", Integer.toString(pitch), "-w", raw.toString(), word));
                if (v.name().startsWith(RANDOM_VARIANT) && espeakData != null) {
                    cmd.add(1, "--path=" + espeakData);
                }
                run(cmd, raw);
            }
            case "flite" -> cached(v, word, raw, out -> run(List.of("flite", "-voice", v.name(), "-t", word, "-o",
                    out.toString()), out));
            case "festival" -> {
                String text = ACCENTED.getOrDefault(v.name(), Map.of()).getOrDefault(word, word);
                cached(v, text, raw, out -> run(List.of("text2wave", "-eval", "(voice_" + v.name() + ")", "-o",
                        out.toString(), "-"), out, text));
            }
            default -> throw new IllegalArgumentException(v.engine());
        }
    }

    /** Writes one synthesizer output into the given file. */
    interface Synthesis {
        void into(Path file) throws IOException;
    }

    /**
     * flite and festival say a text the same way every time (they take no rate or pitch here; the takes differ in
     * the sox chain after them), so each voice says each text once per build and the takes copy it: festival
     * spends about a second starting up per call, which made its voices most of a build's time. The copies live in
     * {@code .tmp/said} and go with it.
     */
    private static void cached(Voice v, String text, Path raw, Synthesis synthesis) throws IOException {
        said(raw.resolveSibling("said"), v.engine() + "-" + v.name() + "-"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                raw, synthesis);
    }

    /**
     * Copies {@code dir/key.wav} to {@code raw}, synthesizing it first if it is not there yet. Two threads that miss
     * at once both synthesize; each moves its own finished file into place, so a reader never sees half of one.
     */
    static void said(Path dir, String key, Path raw, Synthesis synthesis) throws IOException {
        Path said = dir.resolve(key + ".wav");
        if (!Files.exists(said)) {
            Files.createDirectories(dir);
            Path part = raw.resolveSibling(raw.getFileName() + ".said");
            try {
                synthesis.into(part);
                Files.move(part, said, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        Files.copy(said, raw, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Mixes noise at a signal-to-noise ratio over the active part of the signal (frames above -40 dB of the peak),
     * so the padding does not dilute the measured speech level. {@code rate} (Hz) places the mains hum's 50 or 60 Hz.
     */
    static float[] addNoise(float[] x, int rate, String kind, double snrDb, long seed) {
        double peak = 1e-9;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        double sum = 0;
        int n = 0;
        for (float v : x) {
            if (Math.abs(v) > peak * 0.01) {
                sum += v * v;
                n++;
            }
        }
        double speechRms = Math.sqrt(sum / Math.max(1, n));
        Random r = new Random(seed);
        double[] noise = new double[x.length];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double brown = 0;
        double humFreq = r.nextBoolean() ? 50 : 60;
        for (int i = 0; i < x.length; i++) {
            double w = r.nextGaussian();
            noise[i] = switch (kind) {
                case "pink" -> {
                    // Paul Kellet's economy pink filter
                    b0 = 0.99765 * b0 + w * 0.0990460;
                    b1 = 0.96300 * b1 + w * 0.2965164;
                    b2 = 0.57000 * b2 + w * 1.0526913;
                    yield b0 + b1 + b2 + w * 0.1848;
                }
                case "brown" -> {
                    brown = 0.995 * brown + 0.1 * w;
                    yield brown;
                }
                case "hum" -> {
                    double t = i / (double) rate;
                    yield Math.sin(2 * Math.PI * humFreq * t) + 0.5 * Math.sin(2 * Math.PI * 3 * humFreq * t)
                            + 0.05 * w;
                }
                default -> w;
            };
        }
        double nsum = 0;
        for (double v : noise) {
            nsum += v * v;
        }
        double noiseRms = Math.sqrt(nsum / noise.length);
        double scale = speechRms / Math.pow(10, snrDb / 20) / Math.max(noiseRms, 1e-12);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.max(-1, Math.min(1, x[i] + scale * noise[i]));
        }
        return y;
    }

    private List<String> espeakVariants() {
        String listing = capture(List.of("espeak-ng", "--voices=variant"));
        List<String> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[4].startsWith("!v/")) {
                continue;
            }
            String name = f[4].substring(3);
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_HUMAN.stream().anyMatch(lower::startsWith) || lower.contains("robot")) {
                continue;
            }
            out.add(name);
        }
        out.sort(String::compareTo);
        if (out.isEmpty()) {
            throw new UserInputException("espeak-ng lists no voice variants (is espeak-ng-data installed?)");
        }
        return out;
    }

    private boolean synthWorks(Voice v) {
        try {
            Path t = Files.createTempFile("rnnsuite-voice", ".wav");
            try {
                synthesize(v, "en-us", 160, 50, "zero", t);
                return Files.size(t) > 1000;
            } finally {
                Files.deleteIfExists(t);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void requireTool(String tool, String arg) {
        if (!toolWorks(tool, arg)) {
            throw new UserInputException(tool + " is not installed or does not run; the speech data builder needs it "
                    + "(Debian: apt-get install -y " + APT_PACKAGES + ")");
        }
    }

    static boolean toolWorks(String tool, String arg) {
        try {
            Process p = new ProcessBuilder(tool, arg).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String capture(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void run(List<String> cmd, Path target) throws IOException {
        run(cmd, target, null);
    }

    private static void run(List<String> cmd, Path target, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("'" + String.join(" ", cmd) + "' failed for " + target + ": " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
