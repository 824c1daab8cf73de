package io.github.poseshift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code poseshift eval} streams its arrays: in a child JVM whose heap is smaller than the two input files
 * (82 MB of float32 poses, 64 MB of heap), it scores them, actions and per-joint table included. Holding
 * both arrays whole, even as float32, would not fit; eval before streaming ran out of memory with 256 MB of
 * heap here and needed 384. Not a timing: it passes or runs out of memory (bench/eval_memory.py measures).
 */
class EvalMemoryTest {

    private static final int POSES = 200_000;
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    @Test
    void scoresArraysLargerThanItsHeap() throws IOException, InterruptedException {
        Random rng = new Random(5);
        float[] truth = new float[POSES * 17 * 3];
        float[] guess = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (float) (rng.nextGaussian() * 0.3);
            guess[i] = truth[i] + (float) (rng.nextGaussian() * 0.05);
        }
        Path gt = dir.resolve("gt.npy");
        Path pred = dir.resolve("pred.npy");
        Npy.write(gt, NpyArray.ofFloats(truth, POSES, 17, 3));
        Npy.write(pred, NpyArray.ofFloats(guess, POSES, 17, 3));
        truth = null;
        guess = null;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < POSES; i++) {
            labels.add("action " + (i / 1000) % 15);
        }
        Path actions = dir.resolve("actions.txt");
        Files.write(actions, labels);
        long input = Files.size(gt) + Files.size(pred);
        assertTrue(input > 80_000_000L, "input of " + input + " bytes, more than the child's heap");

        String[] args = {"eval", "--pred", pred.toString(), "--gt", gt.toString(), "--json", "--root-relative",
            "--per-joint", "--actions", actions.toString()};
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                PoseShiftCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.json");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "eval finished");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "eval under " + HEAP + ": " + output);

        // The same numbers as eval in this JVM, whose heap holds anything.
        StringWriter here = new StringWriter();
        assertEquals(0, PoseShiftCli.execute(new PrintWriter(here), new PrintWriter(new StringWriter()), args));
        assertEquals(JsonParser.parseString(here.toString()), JsonParser.parseString(output));
    }
}
