package io.github.poseshift.notebooks;

import java.awt.image.RenderedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * One notebook's JShell session, run the way the {@code poseshift} Jupyter kernel (rapaio-jupyter-kernel
 * 3.0.x) runs cells, so that a notebook that passes here runs there:
 * <ul>
 *   <li><b>In this JVM</b>, through a {@link DirectExecutionControl} like the kernel's own execution control:
 *       the snippets' classes are loaded by a child of the test class loader, so PoseShift, DJL and its
 *       native library are the ones the test JVM already has (a second copy of the PyTorch natives in another
 *       class loader would fail to load), and a snippet's values are the objects themselves.</li>
 *   <li>The <b>classpath</b> is the test JVM's {@code java.class.path}, handed to the JShell compiler entry by
 *       entry as the kernel hands it {@code RJK_CLASSPATH}.</li>
 *   <li>A cell is <b>split</b> with {@link SourceCodeAnalysis#analyzeCompletion} into snippets evaluated in
 *       order, and what it <b>shows</b> is the value of its last snippet when that is an expression or a
 *       variable reference (the kernel's rule), plus whatever it passed to {@code display(...)}.</li>
 *   <li>The <b>prelude</b> is the kernel's {@code init.jshell}: its imports of {@code java.util}, {@code java.io}
 *       and friends, and its statically imported {@code display} and {@code updateDisplay}, here recording
 *       the objects instead of sending them to Jupyter; then the kernel spec's init script
 *       {@code environment/poseshift.jsh} ({@code RJK_INIT_SCRIPT}), PoseShift's public API imports.</li>
 * </ul>
 * Any compile error, unresolved reference or exception stops the notebook with a {@link CellFailure}.
 */
final class NotebookShell implements AutoCloseable {

    /** The kernel's init.jshell imports, then its display functions as recorders. */
    private static final List<String> PRELUDE = List.of(
            "import java.util.*;", "import java.io.*;", "import java.math.*;", "import java.net.*;",
            "import java.util.concurrent.*;", "import java.util.prefs.*;", "import java.util.regex.*;",
            "List<Object> poseshiftNotebookDisplays = new ArrayList<>();",
            // One recorder under another name: inside a snippet that declares display(...), the name display
            // means only that snippet's own method, so the overloads cannot call each other.
            "String poseshiftNotebookRecord(Object o) { poseshiftNotebookDisplays.add(o); return \"display-\" + poseshiftNotebookDisplays.size(); }",
            "String display(Object o) { return poseshiftNotebookRecord(o); }",
            "String display(String mime, Object o) { return poseshiftNotebookRecord(o); }",
            "void updateDisplay(String id, Object o) { poseshiftNotebookRecord(o); }",
            "void updateDisplay(String id, String mime, Object o) { poseshiftNotebookRecord(o); }");

    /** The snippet kinds whose value the kernel shows as the cell's result. */
    private static final Set<Snippet.SubKind> SHOWN = EnumSet.of(Snippet.SubKind.VAR_VALUE_SUBKIND,
            Snippet.SubKind.OTHER_EXPRESSION_SUBKIND, Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);

    /** Why a cell failed: the snippet and the error, as the test reports them. */
    static final class CellFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CellFailure(String snippet, String error) {
            super("snippet `" + firstLine(snippet) + "`: " + error);
        }
    }

    private final CapturingControl control = new CapturingControl();
    private final JShell shell;
    private int shownImages;

    /**
     * A fresh session (like a fresh kernel) with {@code classpath}, the prelude and then {@code initScript}
     * (the kernel's init script, run as one cell).
     *
     * @param output where JShell's own messages go
     */
    NotebookShell(List<String> classpath, String initScript, PrintWriter output) throws CellFailure {
        ExecutionControlProvider provider = new ExecutionControlProvider() {
            @Override
            public String name() {
                return "poseshift-notebook-test";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
        java.io.PrintStream stream = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                output.write(b);
            }
        }, true);
        shell = JShell.builder().executionEngine(provider, Map.of()).out(stream).err(stream).build();
        for (String entry : classpath) {
            shell.addToClasspath(entry);
        }
        for (String line : PRELUDE) {
            evalSnippet(line);
        }
        runCell(initScript);
    }

    /**
     * Runs one cell's code, snippet after snippet, as the kernel does; returns what the kernel would show as
     * the cell's result (null for nothing).
     */
    Object runCell(String code) throws CellFailure {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            String source = info.source().trim();
            if (!source.isEmpty()) {
                last = evalSnippet(source);
            }
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new CellFailure(info.remaining().trim(), "incomplete source (" + info.completeness() + ")");
        }
        if (last instanceof RenderedImage) {
            shownImages++;
        }
        if (last instanceof java.io.PrintStream) {
            // printf returns its stream, which the kernel would show as "java.io.PrintStream@1b2c3d".
            throw new CellFailure(code.strip().lines().reduce((a, b) -> b).orElse(""), "the cell ends with an expression"
                    + " whose value is a PrintStream (a printf?), which Jupyter shows as java.io.PrintStream@...;"
                    + " end it with System.out.print(String.format(...)) instead");
        }
        return last;
    }

    /** Images shown so far: cell results that were images, and images passed to {@code display}. */
    int imagesShown() throws CellFailure {
        Object displays = evalSnippet("poseshiftNotebookDisplays");
        int displayed = 0;
        for (Object o : (List<?>) displays) {
            if (o instanceof RenderedImage) {
                displayed++;
            }
        }
        return shownImages + displayed;
    }

    private Object evalSnippet(String source) throws CellFailure {
        control.takeValue();
        List<SnippetEvent> events = shell.eval(source);
        Object result = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an earlier snippet updated by this one: its own errors were reported when it ran
            }
            Snippet snippet = event.snippet();
            if (event.exception() != null) {
                throw new CellFailure(source, describe(event.exception()));
            }
            if (event.status() == Snippet.Status.REJECTED) {
                throw new CellFailure(source, "compile error: " + diagnostics(snippet));
            }
            if (snippet instanceof DeclarationSnippet declaration
                    && (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                            || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                throw new CellFailure(source, "unresolved dependencies "
                        + shell.unresolvedDependencies(declaration).collect(Collectors.toList()) + " "
                        + diagnostics(snippet));
            }
            if (!event.status().isDefined()) {
                throw new CellFailure(source, "snippet not defined (" + event.status() + ") " + diagnostics(snippet));
            }
            if (SHOWN.contains(snippet.subKind()) && event.value() != null) {
                Object value = control.takeValue();
                result = value == CapturingControl.NONE ? event.value() : value;
            }
        }
        return result;
    }

    private String diagnostics(Snippet snippet) {
        return shell.diagnostics(snippet).map(NotebookShell::diagnostic).collect(Collectors.joining("; "));
    }

    private static String diagnostic(Diag d) {
        return (d.isError() ? "error" : "warning") + " at " + d.getStartPosition() + ": "
                + d.getMessage(Locale.ROOT).replace('\n', ' ');
    }

    /** The exception with its class, message, causes and stack (JShell gives them as EvalExceptions). */
    private static String describe(JShellException e) {
        String head;
        if (e instanceof EvalException eval) {
            head = eval.getExceptionClassName() + ": " + eval.getMessage();
        } else if (e instanceof UnresolvedReferenceException unresolved) {
            head = "unresolved reference to " + unresolved.getSnippet().source().strip();
        } else {
            head = e.toString();
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return head + "\n" + trace.toString().lines().limit(40).collect(Collectors.joining("\n"));
    }

    private static String firstLine(String snippet) {
        String line = snippet.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    @Override
    public void close() {
        shell.close();
    }

    /**
     * The kernel's kind of execution control: snippets run in this JVM and their values are kept as objects
     * (JShell itself only passes values on as strings).
     */
    private static final class CapturingControl extends DirectExecutionControl {

        static final Object NONE = new Object();

        private Object value = NONE;

        @Override
        protected String invoke(Method doitMethod) throws Exception {
            // Exceptions propagate to DirectExecutionControl, which reports them as JShell does.
            Object result = doitMethod.invoke(null);
            value = result;
            return valueString(result);
        }

        Object takeValue() {
            Object v = value;
            value = NONE;
            return v;
        }
    }

    /** The notebook test lists what failed; this keeps the list of classpath entries out of its way. */
    static List<String> classpathOf(String javaClassPath) {
        List<String> out = new ArrayList<>();
        for (String entry : javaClassPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(entry);
            }
        }
        return out;
    }
}
