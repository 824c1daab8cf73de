package io.github.poseshift.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Python with NumPy as an independent reference for cross-check tests (never a runtime
 * dependency of the library). In CI ({@code CI=true}) a missing NumPy fails the test, because
 * {@code .ci/run} installs {@code python3-numpy}; elsewhere the test is skipped with the install hint.
 */
public final class ReferencePython {

    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static Boolean available;

    private ReferencePython() {}

    /** The Python that has NumPy; fails (CI) or skips (elsewhere) the calling test when there is none. */
    public static synchronized Path numpyPython() {
        if (available == null) {
            available = Files.isExecutable(DEBIAN_PYTHON) && exitCode(DEBIAN_PYTHON.toString(), "-c", "import numpy") == 0;
        }
        if (!available) {
            missing(DEBIAN_PYTHON + " with numpy is needed for this cross-check: apt-get install python3-numpy");
        }
        return DEBIAN_PYTHON;
    }

    /**
     * Fails (CI) or skips (elsewhere) the calling test unless the reference Python can import
     * {@code module} (Debian package {@code python3-<module>}), e.g. h5py to write MATLAB v7.3 files.
     */
    public static void requireModule(String module) {
        if (exitCode(numpyPython().toString(), "-c", "import " + module) != 0) {
            missing(DEBIAN_PYTHON + " cannot import " + module + ": apt-get install python3-" + module);
        }
    }

    /**
     * Skips the calling test, in CI as everywhere else, unless the reference Python can import
     * {@code module}: for prerequisites too large for {@code .ci/run} to install (python3-torch), whose
     * tests run only where a developer has them.
     */
    public static void optionalModule(String module, String installHint) {
        boolean importable = Files.isExecutable(DEBIAN_PYTHON)
                && exitCode(DEBIAN_PYTHON.toString(), "-c", "import " + module) == 0;
        Assumptions.assumeTrue(importable, DEBIAN_PYTHON + " cannot import " + module + ": " + installHint);
    }

    /**
     * Ends the calling test for a missing test prerequisite: a failure in CI ({@code CI=true}), whose
     * {@code .ci/run} installs every prerequisite, and a skip with {@code message} elsewhere.
     */
    public static void missing(String message) {
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " (CI must have it: see .ci/run)");
        }
        Assumptions.assumeTrue(false, message);
    }

    /**
     * Runs {@code script} with the reference Python in {@code workDir} and returns its standard output;
     * fails the test, with Python's standard error, when it exits non-zero or runs over 60 s.
     */
    public static String run(String script, Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(numpyPython().toString(), "-c", script));
        command.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile(workDir, "python", ".out");
            Path stderr = Files.createTempFile(workDir, "python", ".err");
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("reference python ran over 60 s");
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("reference python exited " + p.exitValue() + ":\n" + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("could not run reference python", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static int exitCode(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
