package org.rnnsuite.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnsuite.core.hw.BackendReport;
import org.rnnsuite.core.hw.ThreadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rnnsuite info}: backend, devices, BLAS, threads, versions and knobs in effect. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the backend, devices and memory, BLAS vendor, thread counts, versions and the "
                + "environment knobs in effect.")
final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ThreadSettings.applyDefaults();
        Map<String, String> report = BackendReport.collect();
        int width = report.keySet().stream().mapToInt(String::length).max().orElse(10);
        var out = spec.commandLine().getOut();
        report.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, v));
        out.flush();
        return 0;
    }
}
