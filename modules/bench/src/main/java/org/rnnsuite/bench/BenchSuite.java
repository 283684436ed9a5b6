package org.rnnsuite.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnnsuite.charlm.CharBatchSource;
import org.rnnsuite.charlm.CharLmConfig;
import org.rnnsuite.core.RnnsuiteVersion;
import org.rnnsuite.core.cells.CellType;
import org.rnnsuite.core.cells.RecurrentCellLayer;
import org.rnnsuite.core.config.Configs;

/**
 * rnnsuite against the PyTorch peer, row by row in priority order: char-LM training throughput, sampling latency,
 * matrix-multiply peak and the share of it each system reaches in training, validation bits/char after equal
 * steps, speech training throughput and streaming real-time factor, captioning training throughput and latency,
 * and each process's memory at the end. Each measurement alternates the systems (rnnsuite, peer, rnnsuite, peer,
 * ...) so machine drift hits both alike, excludes warm-up, and reports the median over repeats.
 */
public final class BenchSuite {
    /** Distinct minibatches each throughput run cycles through. */
    static final int BATCHES = 4;
    /** Minibatches per peer command in the quality run (keeps each command line small). */
    static final int QUALITY_CHUNK = 20;
    /** Images captioned per timed latency run. */
    static final int CAPTION_IMAGES = 3;

    private final BenchConfig cfg;
    private final CharLmWorkload workload;
    private final PeerChannel peer;
    private final PrintStream progress;
    private final BenchReport.Builder report = new BenchReport.Builder();
    /** Medians of the training rows, for the share-of-peak rows: name -> {rnnsuite, peer, flops per char}. */
    private final Map<String, double[]> training = new LinkedHashMap<>();

    /**
     * @param progress where progress lines go (null for silence); results go into the report only
     */
    public BenchSuite(BenchConfig cfg, CharLmWorkload workload, PeerChannel peer, PrintStream progress) {
        this.cfg = cfg;
        this.workload = workload;
        this.peer = peer;
        this.progress = progress;
    }

    /**
     * The whole benchmark: loads the text, starts the peer, runs every row, stops the peer.
     *
     * @param text       the char-LM text (its vocabulary and minibatches are the workload)
     * @param python     interpreter of the peer
     * @param peerScript {@code modules/bench/peer/torch_peer.py}
     * @param blasLibDir OpenBLAS directory for the peer's {@code LD_LIBRARY_PATH}
     * @param command    the command line, recorded in the report
     * @param progress   where progress lines go; null for silence
     * @throws org.rnnsuite.core.UserInputException if the text or the peer's requirements are missing
     */
    public static BenchReport run(BenchConfig cfg, Path text, Path python, Path peerScript, Path blasLibDir,
                                  String command, PrintStream progress) {
        String loadBefore = loadAverage();
        CharLmWorkload workload = CharLmWorkload.of(text, cfg.seqLength());
        try (TorchPeer peer = TorchPeer.start(python, peerScript, blasLibDir, cfg.peerThreads())) {
            if (progress != null) {
                progress.println("peer: " + peer.describe() + "; text " + text + ", vocabulary "
                        + workload.vocab().size());
            }
            BenchReport.Builder rows = new BenchSuite(cfg, workload, peer.channel(), progress).run();
            String machine = MachineInfo.describe() + "; rnnsuite " + RnnsuiteVersion.rnnsuite() + " on DL4J "
                    + RnnsuiteVersion.dl4j() + " (OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS",
                    "unset") + ", sequence products " + (RecurrentCellLayer.overlap() ? "on a second core" : "inline")
                    + ", heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); "
                    + peer.describe() + "; load average " + loadBefore + " at start, " + loadAverage() + " at end";
            return rows.build(machine, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), command);
        }
    }

    /** The 1-minute load average: a busy machine makes every figure lower, so the report says how busy it was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Runs every row and returns them (in priority order) plus those left out. */
    public BenchReport.Builder run() {
        for (String s : cfg.sizes()) {
            for (String cell : cfg.cells()) {
                trainingThroughput(BenchConfig.size(s), cell);
                release();
            }
        }
        for (String cell : cfg.cells()) {
            samplingLatency(cell);
            release();
        }
        matmulPeak();
        release();
        if (cfg.qualitySteps() > 0) {
            quality(cfg.cells().get(0));
            release();
        } else {
            report.notDone("char-LM validation bits/char after equal steps (qualitySteps=0)");
        }
        if (cfg.speech()) {
            speech();
            release();
        } else {
            report.notDone("speech training throughput and streaming real-time factor (speech=false)");
        }
        if (cfg.captioning()) {
            captioning();
        } else {
            report.notDone("captioning training throughput and greedy / beam-3 latency (captioning=false)");
        }
        memory();
        return report;
    }

    /**
     * Frees what the finished workload left behind, as the peer's {@code free} command does for its models: ND4J
     * returns an array's native memory only when the JVM collects the array object, and a collection is rare while
     * the heap holds little, so without this the networks of every earlier row would still count in the memory
     * row (measured, {@code --quick}: 2,495 MiB peak without, 785 MiB with; the peer 580-630). Not timed.
     */
    private static void release() {
        System.gc();
    }

    /** Row 1: chars/s of training one size with one cell. */
    void trainingThroughput(BenchConfig.Size size, String cell) {
        String name = "char-LM train " + cell + " " + size.label();
        CharLmConfig.ModelConfig model = CharLmWorkload.model(cell, size.layers(), size.hidden());
        List<MultiDataSet> batches = workload.batches(size.batch(), BATCHES);
        MultiLayerNetwork net = workload.network(model);
        String id = cell + "-" + size.name();
        peer.call(workload.peerInit(id, model, batches));
        BenchRow row = trainRow(name, "chars/s", net, batches, CharLmWorkload::chars, id, "charlm_train", "chars",
                cfg.timedSteps() * size.timedStepFactor());
        report.add(row);
        training.put(name, new double[] {row.rnnsuite(), row.peer(),
            Flops.charLmTrainFlopsPerChar(CellType.parse(cell), size.layers(), size.hidden(),
                    workload.vocab().size())});
    }

    /**
     * Training throughput, the systems alternating: warm-up steps on each, then {@code repeats} timed runs of
     * {@code steps} minibatches on each; the model {@code id} is already initialized in the peer and is freed
     * here.
     *
     * @param items      items (chars, utterances, images) in a minibatch
     * @param peerCmd    the peer's training command
     * @param peerCount  the field of its result that counts the items
     * @param steps      minibatches per timed run
     */
    private BenchRow trainRow(String name, String unit, Model net, List<MultiDataSet> batches,
                              ToLongFunction<MultiDataSet> items, String id, String peerCmd, String peerCount,
                              int steps) {
        int next = 0;
        if (cfg.warmupSteps() > 0) {
            CharLmWorkload.trainSeconds(net, batches, next, cfg.warmupSteps());
            next += cfg.warmupSteps();
            peer.call(PeerChannel.command(peerCmd).put("id", id).put("steps", cfg.warmupSteps()));
        }
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int r = 0; r < cfg.repeats(); r++) {
            long n = 0;
            for (int i = 0; i < steps; i++) {
                n += items.applyAsLong(batches.get((next + i) % batches.size()));
            }
            double s = CharLmWorkload.trainSeconds(net, batches, next, steps);
            next += steps;
            ours.add(n / s);
            JsonNode p = peer.call(PeerChannel.command(peerCmd).put("id", id).put("steps", steps));
            theirs.add(p.path(peerCount).asDouble() / p.path("seconds").asDouble());
            say("%s  run %d/%d: rnnsuite %,.1f, pytorch %,.1f %s", name, r + 1, cfg.repeats(), ours.get(r),
                    theirs.get(r), unit);
        }
        peer.call(PeerChannel.command("free").put("id", id));
        return BenchRow.higher(name, unit, Stats.median(ours), Stats.median(theirs));
    }

    /** Row 2: ms per generated character, 2x256, batch 1, stateful. */
    void samplingLatency(String cell) {
        String name = "char-LM sample " + cell + " 2x256 b1";
        CharLmConfig.ModelConfig model = CharLmWorkload.model(cell, 2, 256);
        MultiLayerNetwork net = workload.network(model);
        String id = "sample-" + cell;
        peer.call(workload.peerInit(id, model, List.of()));
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int r = 0; r < cfg.repeats(); r++) {
            ours.add(workload.sampleMsPerChar(net, model, r == 0 ? cfg.sampleWarmup() : 0, cfg.sampleChars()));
            JsonNode p = peer.call(PeerChannel.command("charlm_sample").put("id", id)
                    .put("start", workload.vocab().idOf("\n") >= 0 ? workload.vocab().idOf("\n") : 1)
                    .put("length", cfg.sampleChars()).put("warmup", r == 0 ? cfg.sampleWarmup() : 0)
                    .put("seed", 42 + r));
            theirs.add(p.path("ms_per_char").asDouble());
            say("%s  run %d/%d: rnnsuite %.3f, pytorch %.3f ms/char", name, r + 1, cfg.repeats(), ours.get(r),
                    theirs.get(r));
        }
        peer.call(PeerChannel.command("free").put("id", id));
        report.add(BenchRow.lower(name, "ms/char", Stats.median(ours), Stats.median(theirs)));
    }

    /** Row 3: sgemm GFLOP/s of each, and the share of the machine's peak each reaches in char-LM training. */
    void matmulPeak() {
        int n = cfg.sgemmSize();
        double flops = Flops.sgemm(n);
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        int rounds = Math.min(3, cfg.sgemmReps());
        int perRound = (cfg.sgemmReps() + rounds - 1) / rounds;
        for (int r = 0; r < rounds; r++) {
            for (double s : javaSgemmSeconds(n, r == 0 ? 2 : 0, perRound)) {
                ours.add(flops / s / 1e9);
            }
            JsonNode p = peer.call(PeerChannel.command("sgemm").put("n", n).put("warmup", r == 0 ? 2 : 0)
                    .put("reps", perRound));
            p.path("seconds").forEach(s -> theirs.add(flops / s.asDouble() / 1e9));
        }
        BenchRow sgemm = BenchRow.higher("sgemm n=" + n + " (ND4J mmul / torch.mm)", "GFLOP/s",
                Stats.median(ours), Stats.median(theirs));
        say("%s: rnnsuite %.1f, pytorch %.1f GFLOP/s", sgemm.name(), sgemm.rnnsuite(), sgemm.peer());
        report.add(sgemm);
        double peak = Math.max(sgemm.rnnsuite(), sgemm.peer());
        training.forEach((name, v) -> report.add(BenchRow.higher(name.replace("char-LM train", "char-LM train share")
                + " of peak", "% of 1-core sgemm peak", 100 * v[0] * v[2] / 1e9 / peak, 100 * v[1] * v[2] / 1e9 / peak)));
    }

    /**
     * Seconds of each of {@code reps} n x n float products into a preallocated result, after {@code warmup}. The
     * operands are column-major ('f'), ND4J's fastest layout: with row-major ones {@code mmuli} copies them first and
     * reached ~0.75x of this (n = 1024) down to ~0.3x at small sizes, which is not the machine's peak.
     */
    static double[] javaSgemmSeconds(int n, int warmup, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[]{n, n}, 'f');
        double[] secs = new double[reps];
        for (int k = 0; k < warmup + reps; k++) {
            long t0 = System.nanoTime();
            a.mmuli(b, c);
            if (k >= warmup) {
                secs[k - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return secs;
    }

    /** Quality row: validation bits/char after the same steps on the same minibatches (small size). */
    void quality(String cell) {
        BenchConfig.Size size = BenchConfig.size("small");
        String name = "char-LM val bits/char " + cell + " " + size.label() + " after " + cfg.qualitySteps()
                + " steps";
        CharLmConfig.ModelConfig model = CharLmWorkload.model(cell, size.layers(), size.hidden());
        MultiLayerNetwork net = workload.network(model);
        String id = "quality-" + cell;
        peer.call(workload.peerInit(id, model, List.of()));
        CharBatchSource source = new CharBatchSource(workload.split().train(), workload.vocab().size(),
                workload.seqLength(), size.batch(), workload.trainer().seed());
        List<MultiDataSet> chunk = new ArrayList<>();
        for (int step = 1; step <= cfg.qualitySteps(); step++) {
            MultiDataSet b = source.next();
            CharLmWorkload.trainSeconds(net, List.of(b), 0, 1);
            chunk.add(b);
            if (chunk.size() == QUALITY_CHUNK || step == cfg.qualitySteps()) {
                JsonNode p = peer.call(PeerChannel.command("charlm_fit").put("id", id)
                        .set("batches", CharLmWorkload.toPeer(chunk)));
                chunk.clear();
                say("%s: step %d/%d (pytorch training loss %.3f bits/char)", name, step, cfg.qualitySteps(),
                        p.path("loss").asDouble() / Math.log(2));
            }
        }
        double ours = workload.validationBitsPerChar(net);
        ObjectNode eval = PeerChannel.command("charlm_eval").put("id", id).put("unknown", workload.vocab().unknownId());
        ArrayNode ids = Configs.mapper().createArrayNode();
        for (int v : workload.split().validation()) {
            ids.add(v);
        }
        eval.set("ids", ids);
        double theirs = peer.call(eval).path("bits_per_char").asDouble();
        peer.call(PeerChannel.command("free").put("id", id));
        say("%s: rnnsuite %.3f, pytorch %.3f", name, ours, theirs);
        report.add(BenchRow.lower(name, "bits/char", ours, theirs));
    }

    /**
     * Speech rows: training throughput of the default classifier (utterances/s) and the streaming real-time
     * factor (compute time per second of audio, one frame at a time; below 1 keeps up with live audio).
     */
    void speech() {
        SpeechWorkload sw = new SpeechWorkload(org.rnnsuite.speech.SpeechConfig.defaults(), 4 * 32, 7);
        var m = sw.config().model();
        String shape = m.cell() + " " + m.layers() + "x" + m.hidden();
        String name = "speech train " + shape + " b" + sw.config().data().batchSize();
        List<MultiDataSet> batches = sw.batches(BATCHES);
        MultiLayerNetwork net = sw.network();
        String id = "speech";
        peer.call(sw.peerInit(id, batches));
        report.add(trainRow(name, "utterances/s", net, batches, SpeechWorkload::items, id, "speech_train", "items",
                cfg.timedSteps()));
        // training freed the peer's model; streaming speed does not depend on the weights
        peer.call(sw.peerInit(id, List.of()));

        String stream = "speech streaming " + shape + " (" + SpeechWorkload.MAX_FRAMES + " frames)";
        List<Double> rtfOurs = new ArrayList<>();
        List<Double> rtfTheirs = new ArrayList<>();
        for (int r = 0; r < cfg.repeats(); r++) {
            rtfOurs.add(sw.streamMsPerFrame(net, SpeechWorkload.MAX_FRAMES) / 1000 / sw.secondsPerFrame());
            JsonNode p = peer.call(PeerChannel.command("speech_stream").put("id", id)
                    .put("frames", SpeechWorkload.MAX_FRAMES).put("warmup", r == 0 ? SpeechWorkload.MAX_FRAMES : 0));
            rtfTheirs.add(p.path("ms_per_frame").asDouble() / 1000 / sw.secondsPerFrame());
            say("%s  run %d/%d: rnnsuite %.4f, pytorch %.4f real-time factor", stream, r + 1, cfg.repeats(),
                    rtfOurs.get(r), rtfTheirs.get(r));
        }
        peer.call(PeerChannel.command("free").put("id", id));
        report.add(BenchRow.lower(stream, "real-time factor", Stats.median(rtfOurs), Stats.median(rtfTheirs)));
    }

    /**
     * Captioning rows: training throughput of the default network (images/s), then the latency of captioning one
     * image, greedy and with beam 3; the peer decodes as many steps as rnnsuite's search took.
     */
    void captioning() {
        CaptionWorkload cw = new CaptionWorkload(org.rnnsuite.captioning.CaptionConfig.defaults(), 4 * 32, 11);
        var m = cw.config().model();
        String shape = m.imageSize() + "px " + m.convBlocks() + " conv + " + m.cell() + " " + m.hidden();
        String name = "caption train " + shape + " b" + cw.config().data().batchSize();
        List<MultiDataSet> batches = cw.batches(BATCHES);
        String id = "caption";
        peer.call(cw.peerInit(id, batches));
        ComputationGraph net = cw.network();
        report.add(trainRow(name, "images/s", net, batches, CaptionWorkload::items, id, "caption_train", "items",
                cfg.timedSteps()));
        // training freed the peer's model; decoding speed does not depend on the weights
        peer.call(cw.peerInit(id, List.of()));
        for (int beam : new int[] {1, 3}) {
            String row = "caption latency " + (beam == 1 ? "greedy" : "beam " + beam) + " " + shape;
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int r = 0; r < cfg.repeats(); r++) {
                CaptionWorkload.Decode d = cw.describe(net, beam, r == 0 ? 1 : 0, CAPTION_IMAGES, 42 + r);
                ours.add(d.msPerImage());
                theirs.add(peer.call(PeerChannel.command("caption_decode").put("id", id).put("beam", beam)
                        .put("steps", d.steps()).put("start", cw.startId()).put("warmup", r == 0 ? 1 : 0)
                        .put("reps", CAPTION_IMAGES).put("seed", 42 + r)).path("ms_per_image").asDouble());
                say("%s  run %d/%d: rnnsuite %.1f, pytorch %.1f ms/image (%d decoder steps)", row, r + 1,
                        cfg.repeats(), ours.get(r), theirs.get(r), d.steps());
            }
            report.add(BenchRow.lower(row, "ms/image", Stats.median(ours), Stats.median(theirs)));
        }
        peer.call(PeerChannel.command("free").put("id", id));
    }

    /** Row 4: peak and current resident memory of each process at the end. */
    void memory() {
        JsonNode p = peer.call(PeerChannel.command("memory"));
        report.add(BenchRow.lower("peak memory of the process (VmHWM)", "MiB", MachineInfo.peakResidentMib(),
                p.path("vmhwm_kib").asDouble(Double.NaN) / 1024));
        report.add(BenchRow.lower("resident memory at the end (VmRSS)", "MiB", MachineInfo.residentMib(),
                p.path("vmrss_kib").asDouble(Double.NaN) / 1024));
    }

    private void say(String fmt, Object... args) {
        if (progress != null) {
            progress.println(String.format(Locale.ROOT, fmt, args));
            progress.flush();
        }
    }
}
