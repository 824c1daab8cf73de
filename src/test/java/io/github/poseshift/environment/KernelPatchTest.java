package io.github.poseshift.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up fixes of rapaio-jupyter-kernel in environment/kernel-patch, compiled against the kernel jar
 * that environment/install.sh fetched (skipped where it has not run): they compile, replace the jar's
 * classes when put ahead of it, and a started {@code LoopThread} always runs its loop (the jar's own ends
 * at once about one time in ten on the 2-core project machine, leaving a channel that never reads its
 * socket). environment/kernel-start-check.sh checks whole kernel starts.
 */
class KernelPatchTest {

    static final Path PROJECT = PoseShiftJshTest.PROJECT;
    static final Path KERNEL_JAR = PROJECT.resolve("environment/.kernel/rapaio-jupyter-kernel-3.0.1.jar");
    static final Path SOURCES = PROJECT.resolve("environment/kernel-patch");
    static final int THREADS = 300;

    @Test
    void thePatchCompilesAgainstTheJarAndItsLoopThreadsAlwaysRun(@TempDir Path classes) throws Exception {
        assumeTrue(Files.isRegularFile(KERNEL_JAR), "no kernel jar at " + KERNEL_JAR + " (environment/install.sh)");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-cp", KERNEL_JAR.toString(),
                "-d", classes.toString()));
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        assertEquals(0, javac.run(null, errors, errors, args.toArray(String[]::new)),
                "environment/kernel-patch compiles against the kernel jar:\n" + errors.toString(StandardCharsets.UTF_8));

        URL[] path = {classes.toUri().toURL(), KERNEL_JAR.toUri().toURL()}; // as in kernel.json: patch, then jar
        try (URLClassLoader loader = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            for (String name : List.of("Channels", "ControlChannel", "LoopThread")) {
                Class<?> type = loader.loadClass("org.rapaio.jupyter.kernel.channels." + name);
                assertEquals(classes.toUri().toURL(), type.getProtectionDomain().getCodeSource().getLocation(),
                        name + " comes from the patch, not from the jar");
            }
            Class<?> loopThread = loader.loadClass("org.rapaio.jupyter.kernel.channels.LoopThread");
            Constructor<?> create = loopThread.getConstructor(String.class, long.class, Runnable.class);
            Method shutdown = loopThread.getMethod("shutdown");
            for (int i = 0; i < THREADS; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                Thread thread = (Thread) create.newInstance("loop-" + i, 50L, (Runnable) ran::countDown);
                thread.start();
                boolean running = ran.await(5, TimeUnit.SECONDS);
                shutdown.invoke(thread);
                thread.interrupt();
                thread.join(5_000);
                assertTrue(running, "started LoopThread " + (i + 1) + " of " + THREADS + " never ran its loop body");
            }
        }
    }
}
