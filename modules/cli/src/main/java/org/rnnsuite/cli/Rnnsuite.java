package org.rnnsuite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.rnnsuite.core.RnnsuiteVersion;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.bundle.Provenance;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code rnnsuite <task> <verb> [options]}. */
@Command(name = "rnnsuite", mixinStandardHelpOptions = true, versionProvider = Rnnsuite.Version.class,
        description = "Recurrent neural networks on Deeplearning4j: character language model, image captioning, "
                + "speech-style sequence classification, and the lecture experiments.",
        subcommands = {
            InfoCommand.class,
            DemoCommand.class,
            InspectCommand.class,
            CharLmCommand.class,
            SpeechCommand.class,
            CaptionCommand.class,
            LecturesCommand.class,
            NotebooksCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Rnnsuite implements Runnable {
    /** Exit code for a user error: bad flag, missing file, bad value. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a bug. */
    public static final int EXIT_BUG = 1;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show library logging and stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'rnnsuite info'");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; never exits the JVM. */
    public static int execute(String... args) {
        Provenance.setInvocation("rnnsuite " + String.join(" ", args));
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    /** The configured command tree (tests use it to check every level has help). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rnnsuite());
        cl.setExecutionStrategy(parseResult -> {
            boolean verbose = parseResult.matchedOptionValue("--verbose", false)
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                    || hasVerbose(parseResult);
            configureLogging(verbose);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("rnnsuite: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                    + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            boolean verbose = hasVerbose(parseResult);
            Throwable user = userCause(ex);
            if (user != null) {
                c.getErr().println("rnnsuite: " + oneLine(user.getMessage()));
                if (verbose) {
                    c.getErr().println(stackTrace(ex));
                }
                return EXIT_USAGE;
            }
            c.getErr().println("rnnsuite: internal error: " + ex
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                c.getErr().println(stackTrace(ex));
            }
            return EXIT_BUG;
        });
        return cl;
    }

    private static boolean hasVerbose(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserInputException) {
                return c;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').trim();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** Quiet by default; {@code --verbose} shows library logging at INFO and ours at DEBUG. */
    static void configureLogging(boolean verbose) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.INFO : Level.WARN);
            ctx.getLogger("org.rnnsuite").setLevel(verbose ? Level.DEBUG : Level.INFO);
        }
    }

    /** Prints rnnsuite and Deeplearning4j versions. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"rnnsuite " + RnnsuiteVersion.rnnsuite() + " (Deeplearning4j "
                    + RnnsuiteVersion.dl4j() + ")"};
        }
    }
}
