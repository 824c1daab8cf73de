package io.github.poseshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of the README holds: every package of {@code src/main} imports only packages of its own layer or of
 * the layers listed before it, and no paper's {@code method.<paper>} package imports another's.
 */
class PackageLayersTest {

    /** The layers, bottom up, as the README's package map lists them. A package's sub-packages share its layer. */
    static final List<List<String>> LAYERS = List.of(
            List.of("skeleton"),
            List.of("geometry"),
            List.of("eval"),
            List.of("data"),
            List.of("viz"),
            List.of("nn"),
            List.of("loss"),
            List.of("render"),
            List.of("train"),
            List.of("method"),
            List.of("cli"));

    private static final Path SOURCES = Path.of(System.getProperty("poseshift.project.dir", "."), "src", "main", "java",
            "io", "github", "poseshift");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.poseshift\\.([a-z0-9_.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    private static int layer(String pkg) {
        String top = pkg.split("\\.")[0];
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(top)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " is in no layer of the README's map");
    }

    /** Per package of src/main, the packages of ours it imports. */
    private static Map<String, TreeSet<String>> imports() throws IOException {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                TreeSet<String> used = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyPackageImportsOnlyItsOwnLayerOrTheLayersBelow() throws IOException {
        Map<String, TreeSet<String>> imports = imports();
        assertTrue(imports.keySet().containsAll(List.of("skeleton", "data.io", "method.adaptpose", "cli")), imports.keySet()
                .toString());
        List<String> violations = new ArrayList<>();
        imports.forEach((pkg, used) -> used.stream().filter(u -> layer(u) > layer(pkg))
                .forEach(u -> violations.add(pkg + " imports " + u)));
        assertEquals(List.of(), violations);
    }

    @Test
    void noPapersPackageImportsAnothers() throws IOException {
        List<String> violations = new ArrayList<>();
        imports().forEach((pkg, used) -> {
            if (pkg.startsWith("method.")) {
                used.stream().filter(u -> u.startsWith("method.")).forEach(u -> violations.add(pkg + " imports " + u));
            }
        });
        assertEquals(List.of(), violations);
    }
}
