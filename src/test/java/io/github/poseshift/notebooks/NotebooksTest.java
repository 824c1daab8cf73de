package io.github.poseshift.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook in {@code notebooks/}: its code cells in order, in one fresh {@link NotebookShell}
 * per notebook (JShell in this JVM, the way the {@code poseshift} kernel runs them), with
 * {@code POSESHIFT_BUDGET=tiny}. A notebook fails on the first compile error, unresolved reference or
 * exception, naming the notebook, the cell and the error, with the tail of what the notebook printed; and it
 * fails if it showed no image.
 *
 * <p>The budget comes from the environment, as in Jupyter: surefire sets {@code POSESHIFT_BUDGET=tiny} for the
 * test JVM (pom.xml); run outside Maven, set it yourself. The working directory is the project root here and
 * {@code notebooks/} in Jupyter, so notebooks never use relative paths: they find data with
 * {@code DataPaths}, which looks upwards from either.
 */
class NotebooksTest {

    private static final Path PROJECT = Path.of(System.getProperty("poseshift.project.dir", ".")).toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsTopToBottomAndShowsAPlot() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(PROJECT.resolve("notebooks"))) {
            // -Dposeshift.notebook=03 runs only the notebooks whose name contains "03" (while writing one).
            String only = System.getProperty("poseshift.notebook", "");
            notebooks = files.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .filter(p -> p.getFileName().toString().contains(only)).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + PROJECT.resolve("notebooks"));
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            assertEquals("tiny", System.getenv("POSESHIFT_BUDGET"), "the notebooks are tested with POSESHIFT_BUDGET=tiny"
                    + " (surefire sets it; run outside Maven, export it)");
            Report report = execute(nb);
            assertTrue(report.images() >= 1, shown(nb) + " showed no image: end a plot cell with the image, e.g."
                    + " Plots.image(chart), or pass it to display(...)");
        }));
    }

    /** The harness itself: a broken cell is reported with the notebook, the cell and the error. */
    @Test
    void aBrokenCellIsNamedWithItsError() throws IOException {
        Path compile = notebook("compile.ipynb", "int a = 1;", "int b = a +;");
        AssertionError e = assertThrows(AssertionError.class, () -> execute(compile));
        assertTrue(e.getMessage().startsWith(shown(compile) + ": cell 3 (code cell 2): snippet `int b = a +;`: compile"
                + " error: error at "), e.getMessage());

        Path thrown = notebook("thrown.ipynb", "System.out.println(\"before\");\nObject o = null;\no.hashCode();");
        e = assertThrows(AssertionError.class, () -> execute(thrown));
        assertTrue(e.getMessage().contains("cell 2 (code cell 1): snippet `o.hashCode();`: java.lang.NullPointerException"),
                e.getMessage());
        assertTrue(e.getMessage().contains("output before the failure:\nbefore"), e.getMessage());

        Path printf = notebook("printf.ipynb", "System.out.printf(\"%d%n\", 1)");
        e = assertThrows(AssertionError.class, () -> execute(printf));
        assertTrue(e.getMessage().contains("cell 2 (code cell 1)") && e.getMessage().contains("PrintStream"), e.getMessage());

        Path unresolved = notebook("unresolved.ipynb", "int twice(int x) { return helper(x) * 2; }");
        e = assertThrows(AssertionError.class, () -> execute(unresolved));
        assertTrue(e.getMessage().contains("unresolved dependencies [method helper(int)]"), e.getMessage());
    }

    /** What a notebook shows, as the kernel decides it: the image of a last expression or of display(...). */
    @Test
    void imagesAreCountedAsTheKernelShowsThem() throws IOException {
        String image = "java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, 1);";
        assertEquals(0, execute(notebook("none.ipynb", image, "var kept = img;")).images());
        assertEquals(1, execute(notebook("last.ipynb", image + "\nimg")).images());
        assertEquals(2, execute(notebook("display.ipynb", image, "display(img);\nimg")).images());
    }

    /** What a run found. */
    record Report(int codeCells, int images, double seconds) {}

    /**
     * Runs the notebook's code cells in a fresh session; every failure is an AssertionError whose message
     * starts with {@code "<notebook>: cell <n> (code cell <k>): "} (both counted from 1, n over all cells).
     */
    static Report execute(Path notebook) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(notebook, StandardCharsets.UTF_8)).getAsJsonObject();
        String name = shown(notebook);
        JsonObject kernelspec = json.getAsJsonObject("metadata").getAsJsonObject("kernelspec");
        assertEquals("poseshift", kernelspec.get("name").getAsString(), name + ": kernelspec");
        JsonArray cells = json.getAsJsonArray("cells");

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        long start = System.nanoTime();
        int codeCells = 0;
        int images;
        // The kernel sends a cell's System.out and System.err to the notebook; here they are kept for the report.
        System.setOut(capture);
        System.setErr(capture);
        String initScript = Files.readString(PROJECT.resolve("environment/poseshift.jsh"), StandardCharsets.UTF_8);
        try (NotebookShell shell = new NotebookShell(NotebookShell.classpathOf(System.getProperty("java.class.path")),
                initScript, new PrintWriter(capture, true))) {
            for (int i = 0; i < cells.size(); i++) {
                JsonObject cell = cells.get(i).getAsJsonObject();
                if (!cell.get("cell_type").getAsString().equals("code")) {
                    continue;
                }
                codeCells++;
                try {
                    shell.runCell(source(cell));
                } catch (NotebookShell.CellFailure failure) {
                    capture.flush();
                    fail(String.format(Locale.ROOT, "%s: cell %d (code cell %d): %s%n%noutput before the failure:%n%s",
                            name, i + 1, codeCells, failure.getMessage(), tail(captured)));
                }
            }
            images = shell.imagesShown();
        } catch (NotebookShell.CellFailure failure) {
            throw new AssertionError(name + ": the prelude failed: " + failure.getMessage(), failure);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Report report = new Report(codeCells, images, (System.nanoTime() - start) / 1e9);
        out.printf(Locale.ROOT, "NotebooksTest: %s: %d code cells, %d images, %.1f s%n", name, report.codeCells(),
                report.images(), report.seconds());
        return report;
    }

    /** A cell's source: nbformat stores it as one string or as a list of lines. */
    private static String source(JsonObject cell) {
        JsonElement source = cell.get("source");
        if (source.isJsonPrimitive()) {
            return source.getAsString();
        }
        StringBuilder sb = new StringBuilder();
        source.getAsJsonArray().forEach(line -> sb.append(line.getAsString()));
        return sb.toString();
    }

    private static String tail(ByteArrayOutputStream captured) {
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    private static String shown(Path notebook) {
        Path abs = notebook.toAbsolutePath().normalize();
        return abs.startsWith(PROJECT) ? PROJECT.relativize(abs).toString() : abs.toString();
    }

    /** A notebook of one Markdown cell and then these code cells. */
    private Path notebook(String fileName, String... codeCells) throws IOException {
        JsonArray cells = new JsonArray();
        JsonObject markdown = new JsonObject();
        markdown.addProperty("cell_type", "markdown");
        markdown.add("metadata", new JsonObject());
        markdown.addProperty("source", "# test");
        cells.add(markdown);
        for (String code : codeCells) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.add("metadata", new JsonObject());
            cell.add("outputs", new JsonArray());
            cell.add("execution_count", null);
            JsonArray lines = new JsonArray();
            List<String> split = new ArrayList<>(List.of(code.split("(?<=\n)")));
            split.forEach(lines::add);
            cell.add("source", lines);
            cells.add(cell);
        }
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", "poseshift");
        kernelspec.addProperty("display_name", "PoseShift (Java)");
        kernelspec.addProperty("language", "java");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Path file = dir.resolve(fileName);
        Files.writeString(file, nb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
