package io.github.poseshift.cli;

import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code poseshift} command: one subcommand per job. Bad input (a missing or malformed file, a
 * wrong shape, NaN values, an unknown name) ends with one line on standard error naming the file and
 * the problem, and exit code 2; a bug ends with a stack trace and exit code 1.
 */
@Command(name = "poseshift", mixinStandardHelpOptions = true, versionProvider = PoseShiftCli.Version.class,
        description = "Cross-dataset adaptation for 3D human pose estimation.",
        subcommands = {BenchmarkCommand.class, TrainCommand.class, EvalCommand.class, SynthCommand.class, InspectCommand.class,
            BenchCommand.class, ConvertCommand.class, RenderCommand.class, CommandLine.HelpCommand.class},
        // test and shell are the launcher script's own commands (Maven and jshell), not the CLI's.
        footer = {"", "The ./poseshift launcher also runs:",
            "  test       the test suite (Maven; e.g. ./poseshift test -Dtest=MetricsTest)",
            "  shell      jshell with the library and its public API imported"})
public final class PoseShiftCli implements Runnable {

    /** Exit code for bad input or usage. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PoseShiftCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = userMessage(ex);
            if (message == null) {
                throw ex;
            }
            commandLine.getErr().println("poseshift " + commandLine.getCommandName() + ": " + message);
            return EXIT_BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Refuses a numeric option outside {@code [min, max]}, before it sizes anything.
     *
     * @throws IllegalArgumentException {@code "--count must be 1 to 1000, got 0"}
     */
    static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", got " + value);
        }
    }

    /** The one-line message for an exception caused by bad input, or null for a bug. */
    static String userMessage(Exception ex) {
        if (ex instanceof FormatException || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        if (ex instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException ade) {
            return ade.getFile() + ": permission denied";
        }
        if (ex instanceof FileSystemException fs && fs.getFile() != null) {
            // Its own message is the bare path when the file system gave no reason (e.g. FileAlreadyExistsException).
            return fs.getFile() + ": " + AtomicFiles.reason(fs);
        }
        if (ex instanceof java.io.IOException io) {
            return io.getMessage();
        }
        return null;
    }

    /** Reads the version from the jar manifest when packaged, else the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PoseShiftCli.class.getPackage().getImplementationVersion();
            return new String[] {"PoseShift " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
