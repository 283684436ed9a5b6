package org.rnnsuite.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;
import picocli.CommandLine.Option;

/**
 * The options every train command shares: a named JSON run config, {@code key=value} overrides and a step budget.
 * Used as a picocli mixin, so a new task's train command gets the same flags with the same meaning.
 */
final class RunConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "JSON run config (see configs/).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), e.g. "
            + "--set trainer.learningRate=0.001 --set model.cell=gru.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--max-steps", paramLabel = "N", description = "Training steps in total, overriding "
            + "trainer.maxSteps (smoke runs; with --resume, the new total).")
    Integer maxSteps;

    /** The task's config: defaults, then the --config file, then the --set overrides. */
    <T> T load(Class<T> type, T defaults) {
        return Configs.load(type, defaults, config, overrides);
    }

    /** True if --config or --set was given. */
    boolean customized() {
        return config != null || !overrides.isEmpty();
    }

    /** The --max-steps budget, or null if not given. */
    Integer maxSteps() {
        if (maxSteps != null && maxSteps <= 0) {
            throw new UserInputException("--max-steps must be > 0, got " + maxSteps);
        }
        return maxSteps;
    }
}
