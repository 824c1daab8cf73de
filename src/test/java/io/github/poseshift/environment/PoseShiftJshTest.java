package io.github.poseshift.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * environment/poseshift.jsh, the startup script of {@code ./poseshift shell} and the init script of the
 * Jupyter kernel, compiled line by line in an in-process JShell against the project's classes and
 * dependencies: a class that was renamed or moved fails here, not at a user's first prompt or at kernel
 * start (where one rejected import stops the kernel).
 */
class PoseShiftJshTest {

    static final Path PROJECT = Path.of(System.getProperty("poseshift.project.dir", ".")).toAbsolutePath().normalize();
    static final Path SCRIPT = PROJECT.resolve("environment/poseshift.jsh");

    private JShell shell;

    @BeforeEach
    void openShell() {
        shell = JShell.builder().executionEngine("local").build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
    }

    @AfterEach
    void closeShell() {
        shell.close();
    }

    static List<String> scriptLines() throws IOException {
        return Files.readAllLines(SCRIPT).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("//")).collect(Collectors.toList());
    }

    @Test
    void theScriptHoldsOnlyImportsOfOneClassEach() throws IOException {
        List<String> lines = scriptLines();
        assertTrue(lines.size() > 40, "poseshift.jsh imports the public API: " + lines.size() + " lines");
        for (String line : lines) {
            assertTrue(line.matches("import [a-z][\\w.]*\\.[A-Z]\\w*;"),
                    "poseshift.jsh holds plain single-class imports (the kernel runs it as Java), not: " + line);
        }
        assertTrue(lines.contains("import io.github.poseshift.data.Domains;"), "Domains is imported");
    }

    @Test
    void everyImportResolvesAgainstTheProject() throws IOException {
        List<String> rejected = new ArrayList<>();
        for (String line : scriptLines()) {
            for (SnippetEvent event : shell.eval(line)) {
                if (event.status() != Snippet.Status.VALID) {
                    String why = shell.diagnostics(event.snippet()).map(d -> d.getMessage(Locale.ROOT))
                            .collect(Collectors.joining("; "));
                    rejected.add(line + " -> " + event.status() + (why.isEmpty() ? "" : ": " + why));
                }
            }
        }
        assertEquals(List.of(), rejected, "imports of environment/poseshift.jsh that no longer resolve");
    }

    @Test
    void theWholeScriptEvaluatesInOneGoAsTheKernelRunsIt() throws IOException {
        // rapaio-jupyter-kernel hands its init script to JShell.eval as one string (JShell keeps it as one
        // import snippet holding every line) and stops the kernel if that snippet is rejected.
        List<SnippetEvent> events = shell.eval(Files.readString(SCRIPT));
        assertFalse(events.isEmpty());
        for (SnippetEvent event : events) {
            assertEquals(Snippet.Status.VALID, event.status(), event.snippet().source());
        }
        List<String> unresolved = new ArrayList<>();
        for (String line : scriptLines()) {
            String simpleName = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
            List<SnippetEvent> use = shell.eval(simpleName + ".class.getName()");
            if (use.isEmpty() || use.get(use.size() - 1).status() != Snippet.Status.VALID) {
                unresolved.add(simpleName);
            }
        }
        assertEquals(List.of(), unresolved, "simple names the script should have imported");
    }
}
