package io.github.poseshift.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScalarOpsTest {

    /** DJL's array-with-number operations whose scalar tensor autograd keeps after DJL closed it. */
    private static final Pattern UNSAFE = Pattern.compile(
            "ai/djl/ndarray/NDArray\\.(mul|div|pow|maximum|minimum):\\(Ljava/lang/Number;\\)");

    /**
     * No class of the library calls {@code NDArray.mul(Number)} and its kin (see {@link ScalarOps}): the compiled
     * classes are disassembled and every call site named.
     */
    @Test
    void noLibraryClassUsesDjlsNumberArithmetic() throws IOException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        Path classes = Path.of("target", "classes");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(files.size() > 100, "compiled classes found: " + files.size());
        List<String> offenders = new ArrayList<>();
        for (Path f : files) {
            StringWriter out = new StringWriter();
            javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-c", "-p", f.toString());
            Matcher m = UNSAFE.matcher(out.toString());
            while (m.find()) {
                offenders.add(classes.relativize(f) + " calls NDArray." + m.group(1) + "(Number)");
            }
        }
        assertEquals(List.of(), offenders, "use ScalarOps instead");
    }

    /** The gradient through a constant is right after the collector has run: the constant lives in the scope. */
    @Test
    void gradientsThroughConstantsSurviveACollection() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = ScalarOps.power(ScalarOps.dividedBy(ScalarOps.times(x, 3), 2), 2).sum()
                        .add(ScalarOps.atLeast(x, 2).sum()).add(ScalarOps.atMost(x, 2).sum());
                // Garbage-collect between forward and backward: freed constants would show in the gradient.
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                gc.backward(y);
            }
            // d/dx (1.5x)^2 = 4.5x; max(x, 2) adds 1 where x > 2 (PyTorch splits ties: 0.5 at x = 2), min adds the rest.
            assertArrayEquals(new float[] {4.5f + 1, 9f + 1, 13.5f + 1}, x.getGradient().toFloatArray(), 1e-5f);
        }
    }
}
