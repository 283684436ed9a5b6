package org.rnnsuite.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnsuite.charlm.lectures.CellComparisonExperiment;
import org.rnnsuite.charlm.lectures.TbpttExperiment;
import org.rnnsuite.charlm.lectures.TemperatureExperiment;
import org.rnnsuite.core.hw.ThreadSettings;
import org.rnnsuite.core.report.ExperimentResult;
import org.rnnsuite.lectures.ClippingExperiment;
import org.rnnsuite.lectures.GradientFlowExperiment;
import org.rnnsuite.lectures.LongRangeExperiment;
import org.rnnsuite.lectures.WeightSharingExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rnnsuite lectures <experiment>}: the course's claims, run and plotted. */
@Command(name = "lectures", mixinStandardHelpOptions = true,
        description = "Lecture experiments: each prints a table and writes PNG plots.",
        subcommands = {LecturesCommand.WeightSharing.class, LecturesCommand.Gradients.class,
            LecturesCommand.Clipping.class, LecturesCommand.LongRange.class, LecturesCommand.Tbptt.class,
            LecturesCommand.CellsOnCorpora.class, LecturesCommand.Temperature.class})
final class LecturesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an experiment, e.g. 'rnnsuite lectures "
                + "gradients'");
    }

    /** Options every experiment takes. */
    static class Common {
        @Option(names = "--out", defaultValue = "runs/lectures", description = "Output directory for tables and "
                + "plots (default: ${DEFAULT-VALUE}/<experiment>).")
        Path out;

        @Option(names = "--quick", description = "Reduced sizes (seconds instead of minutes).")
        boolean quick;
    }

    abstract static class Base implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract ExperimentResult run(Path out, boolean quick) throws Exception;

        @Override
        public Integer call() throws Exception {
            ThreadSettings.applyDefaults();
            ExperimentResult r = run(common.out.resolve(spec.name()), common.quick);
            spec.commandLine().getOut().print(r.report());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "weight-sharing", mixinStandardHelpOptions = true,
            description = "Unrolling and weight sharing: parameter count vs length; impulse response vs its "
                    + "truncated unrolling.")
    static final class WeightSharing extends Base {
        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            return new WeightSharingExperiment(quick ? WeightSharingExperiment.Config.quick()
                    : WeightSharingExperiment.Config.defaults()).run(out);
        }
    }

    @Command(name = "gradients", mixinStandardHelpOptions = true,
            description = "Vanishing and exploding gradients: gradient norm vs distance for vanilla RNNs with "
                    + "sigma_max < 1, = 1, > 1, and for gated cells.")
    static final class Gradients extends Base {
        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            return new GradientFlowExperiment(quick ? GradientFlowExperiment.Config.quick()
                    : GradientFlowExperiment.Config.defaults()).run(out);
        }
    }

    @Command(name = "clipping", mixinStandardHelpOptions = true,
            description = "Gradient clipping: the same SGD run with and without clipping.")
    static final class Clipping extends Base {
        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            return new ClippingExperiment(quick ? ClippingExperiment.Config.quick()
                    : ClippingExperiment.Config.defaults()).run(out);
        }
    }

    @Command(name = "long-range", mixinStandardHelpOptions = true,
            description = "Long-term dependencies: recall accuracy vs distance for every cell.")
    static final class LongRange extends Base {
        @Option(names = "--cells", split = ",", description = "Cells to compare (default: all).")
        java.util.List<String> cells;

        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            LongRangeExperiment.Config c = quick ? LongRangeExperiment.Config.quick()
                    : LongRangeExperiment.Config.defaults();
            if (cells != null) {
                try {
                    c = new LongRangeExperiment.Config(cells, c.distances(), c.hidden(), c.steps(), c.batch(),
                            c.learningRate(), c.seed());
                } catch (IllegalArgumentException e) {
                    throw new org.rnnsuite.core.UserInputException("--cells: " + e.getMessage());
                }
            }
            return new LongRangeExperiment(c).run(out);
        }
    }

    @Command(name = "tbptt", mixinStandardHelpOptions = true,
            description = "Full vs truncated BPTT on the char-LM: quality, time and memory per step.")
    static final class Tbptt extends Base {
        @Option(names = "--text", description = "Training text (default: data/text/moby-dick.txt).")
        Path text;

        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            TbpttExperiment.Config d = TbpttExperiment.Config.defaults();
            Path t = text != null ? text : d.text();
            return new TbpttExperiment(quick ? TbpttExperiment.Config.quick(t)
                    : new TbpttExperiment.Config(t, d.chars(), d.seqLength(), d.ks(), d.hidden(), d.steps(),
                    d.seed())).run(out);
        }
    }

    @Command(name = "cells", mixinStandardHelpOptions = true,
            description = "GRU vs LSTM on a small and on a larger corpus.")
    static final class CellsOnCorpora extends Base {
        @Option(names = "--text", description = "Source text (default: data/text/moby-dick.txt).")
        Path text;

        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            CellComparisonExperiment.Config d = CellComparisonExperiment.Config.defaults();
            Path t = text != null ? text : d.text();
            return new CellComparisonExperiment(quick ? CellComparisonExperiment.Config.quick(t)
                    : new CellComparisonExperiment.Config(t, d.smallChars(), d.largeChars(), d.cells(), d.hidden(),
                    d.steps(), d.seed())).run(out);
        }
    }

    @Command(name = "temperature", mixinStandardHelpOptions = true,
            description = "One char-LM sampled at several temperatures, with the entropy of its samples.")
    static final class Temperature extends Base {
        @Option(names = "--model", description = "Char-LM model (default: data/models/charlm).")
        Path model;

        @Override
        ExperimentResult run(Path out, boolean quick) throws Exception {
            TemperatureExperiment.Config d = TemperatureExperiment.Config.defaults();
            Path m = model != null ? model : d.model();
            return new TemperatureExperiment(quick ? TemperatureExperiment.Config.quick(m)
                    : new TemperatureExperiment.Config(m, d.temperatures(), d.length(), d.prime(), d.seed()))
                    .run(out);
        }
    }
}
