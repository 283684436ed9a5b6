package org.rnnsuite.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnsuite.core.config.Configs;
import org.rnnsuite.core.bundle.ModelBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnsuite inspect MODEL}: what a model bundle holds and where it came from, without loading it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model bundle's task, config, artifacts and provenance.")
final class InspectCommand implements Callable<Integer> {
    enum Format { text, json }

    @Parameters(paramLabel = "MODEL", description = "A model bundle file, or a model directory holding model.zip.")
    Path model;

    @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE}).")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode meta = ModelBundle.readMetadata(model);
        var out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Configs.toJson(meta));
        } else {
            out.println("file        " + ModelBundle.resolve(model));
            out.println("task        " + meta.path("task").asText());
            out.println("network     " + meta.path("networkType").asText()
                    + (meta.path("withUpdater").asBoolean() ? " (with optimizer state)" : ""));
            out.println("artifacts   " + meta.path("artifacts"));
            meta.path("provenance").fields().forEachRemaining(e ->
                    out.printf("%-11s %s%n", e.getKey(), e.getValue().asText()));
            out.println("config");
            out.println(Configs.toJson(meta.path("config")));
        }
        out.flush();
        return 0;
    }
}
