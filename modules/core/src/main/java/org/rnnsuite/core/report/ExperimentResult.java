package org.rnnsuite.core.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What an experiment shows.
 *
 * @param title    short name
 * @param claim    the claim from the lecture being tested
 * @param table    the measured numbers
 * @param plots    PNG files written
 * @param finding  what the numbers say about the claim, in one or two sentences
 */
public record ExperimentResult(String title, String claim, ResultTable table, List<Path> plots, String finding) {
    /** Title, claim, table, finding and plot paths, as printed by the CLI. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(title).append(" ==\n");
        sb.append("Claim: ").append(claim).append("\n\n");
        sb.append(table).append('\n');
        sb.append("Finding: ").append(finding).append('\n');
        for (Path p : plots) {
            sb.append("Plot: ").append(p).append('\n');
        }
        return sb.toString();
    }
}
