package io.github.poseshift.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The Jupyter kernel spec that environment/install.sh writes, through its {@code --kernel-spec-only}
 * mode (no Jupyter, no network): the kernel JVM starts the engine offline, the JShell compiler and the
 * JVM both see the project's classes and jars, and the kernel's start-up fixes (environment/kernel-patch)
 * come ahead of the kernel jar.
 */
class KernelSpecTest {

    static final Path PROJECT = PoseShiftJshTest.PROJECT;
    static final Path INSTALL = PROJECT.resolve("environment/install.sh");

    static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    record Run(int exit, String output) {}

    static Run install(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", INSTALL.toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "install.sh --kernel-spec-only finished");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void kernelJsonStartsTheEngineOfflineWithTheProjectOnTheClasspath(@TempDir Path tmp) throws Exception {
        Path djlApi = jarOf(ai.djl.ndarray.NDManager.class);
        Path xchart = jarOf(org.knowm.xchart.XYChart.class);
        Path classpathFile = tmp.resolve("classpath.txt");
        Files.writeString(classpathFile, djlApi + ":" + xchart); // as dependency:build-classpath writes it
        Path kernelJar = tmp.resolve("rapaio-jupyter-kernel.jar");

        Path patch = tmp.resolve("patch-classes");

        Path specDir = tmp.resolve("kernels/poseshift");
        Run run = install("--kernel-spec-only", specDir.toString(), "--classpath-file", classpathFile.toString(),
                "--kernel-jar", kernelJar.toString(), "--kernel-patch", patch.toString());
        assertEquals(0, run.exit(), run.output());

        JsonObject spec = JsonParser.parseString(Files.readString(specDir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("PoseShift (Java)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());

        List<String> argv = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
        assertTrue(argv.get(0).endsWith("java"), "argv starts with java: " + argv.get(0));
        assertTrue(argv.contains("-Dai.djl.offline=true"), "the engine starts offline: " + argv);
        assertTrue(argv.contains("-Djava.awt.headless=true"), "headless: " + argv);
        assertEquals("{connection_file}", argv.get(argv.size() - 1));
        assertEquals("org.rapaio.jupyter.kernel.MainApp", argv.get(argv.size() - 2));
        int cp = argv.indexOf("-cp");
        assertTrue(cp > 0 && argv.indexOf("org.rapaio.jupyter.kernel.MainApp") > cp + 1, "a -cp option: " + argv);
        List<String> jvmClasspath = List.of(argv.get(cp + 1).split(":"));
        assertEquals(PROJECT.resolve("target/classes").toString(), jvmClasspath.get(0));
        assertTrue(jvmClasspath.contains(djlApi.toString()), "the JVM classpath has the DJL api jar");
        assertEquals(kernelJar.toString(), jvmClasspath.get(jvmClasspath.size() - 1), "the kernel jar comes last");
        assertEquals(patch.toString(), jvmClasspath.get(jvmClasspath.size() - 2),
                "the patch classes come right before the kernel jar, so they replace the jar's");

        JsonObject env = spec.getAsJsonObject("env");
        assertEquals("true", env.get("DJL_OFFLINE").getAsString());
        assertEquals("true", env.get("OPT_OUT_TRACKING").getAsString());
        assertEquals("untimed", env.get("POSESHIFT_PROGRESS").getAsString(), "notebook outputs carry no timings");
        List<String> rjkClasspath = List.of(env.get("RJK_CLASSPATH").getAsString().split(";"));
        assertEquals(List.of(PROJECT.resolve("target/classes").toString(), djlApi.toString(), xchart.toString()),
                rjkClasspath, "RJK_CLASSPATH: the project's classes and every dependency jar, ';'-separated");
        Path initScript = Path.of(env.get("RJK_INIT_SCRIPT").getAsString());
        assertEquals(PoseShiftJshTest.SCRIPT, initScript);
        assertTrue(Files.isRegularFile(initScript));
        assertFalse(env.has("POSESHIFT_BUDGET"), "POSESHIFT_BUDGET is inherited from Jupyter's environment");
        assertFalse(rjkClasspath.contains(patch.toString()), "the JShell compiler does not see the kernel's classes");
    }

    @Test
    void thePatchClassesDefaultToTheFolderInstallShCompilesThemInto(@TempDir Path tmp) throws Exception {
        Path classpathFile = tmp.resolve("classpath.txt");
        Files.writeString(classpathFile, jarOf(ai.djl.ndarray.NDManager.class).toString());
        Path kernelJar = tmp.resolve("no-such-kernel.jar"); // no jar: nothing to compile against, nothing compiled
        Run run = install("--kernel-spec-only", tmp.resolve("spec").toString(), "--classpath-file",
                classpathFile.toString(), "--kernel-jar", kernelJar.toString());
        assertEquals(0, run.exit(), run.output());
        JsonObject spec = JsonParser.parseString(Files.readString(tmp.resolve("spec/kernel.json"))).getAsJsonObject();
        List<String> argv = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
        List<String> jvmClasspath = List.of(argv.get(argv.indexOf("-cp") + 1).split(":"));
        assertEquals(List.of(PROJECT.resolve("environment/.kernel/patch-classes").toString(), kernelJar.toString()),
                jvmClasspath.subList(jvmClasspath.size() - 2, jvmClasspath.size()));
    }

    @Test
    void aMissingClasspathFileIsNamed(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nowhere/classpath.txt");
        Run run = install("--kernel-spec-only", tmp.resolve("spec").toString(), "--classpath-file", missing.toString());
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains(missing.toString()), run.output());
        assertFalse(Files.exists(tmp.resolve("spec/kernel.json")));
    }
}
