package io.github.poseshift.method.adaptpose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.poseshift.data.Domains;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lowest rung of AdaptPose's baseline generators, BG1 (the learned camera and the 2D discriminator, nothing
 * else), trained on the tiny 3dhp-like benchmark. A class of its own so that it runs in a fresh JVM (surefire
 * forks per class), where its bound was measured.
 */
class BaselineGeneratorTest {

    /**
     * BG1 closes most of the camera gap by itself, and with selection off every generated window inside the image
     * trains the lifter. Measured (seed 5, fresh JVMs): source-only 334.7 mm, BG1 271.3 mm in four runs and
     * 230.2 mm in one (seed 5 is a weak seed for BG1: over seeds 0-2 of the benchmark it gained 160-214 mm on
     * 3dhp-like). The bound, 30 mm of gain, leaves 33 mm below the worst run.
     */
    @Test
    void theCameraAloneBeatsSourceOnlyOnTheTopDownTarget() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.tiny();
        String bg1 = AdaptPoseMethods.BaselineGenerator.BG1.methodName();
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"),
                List.of(Domains.preset("3dhp-like")), List.of("source-only", bg1), tiny, 5, Device.cpu(),
                new PrintWriter(System.out, true), AdaptPoseMethods.adaptations());
        double sourceOnly = run.result("3dhp-like", "source-only").summary().mpjpeMm();
        double adapted = run.result("3dhp-like", bg1).summary().mpjpeMm();
        System.out.printf("tiny 3dhp-like: source-only %.1f mm, %s %.1f mm%n", sourceOnly, bg1, adapted);
        assertTrue(adapted < sourceOnly - 30, bg1 + " " + adapted + " vs source-only " + sourceOnly);
        History h = run.result("3dhp-like", bg1).history();
        for (String series : List.of("feedback_loss", "kept_share", "discriminator_2d_loss")) {
            assertEquals(tiny.training(5).epochs(), h.series(series).size(), series + " recorded every epoch");
        }
        assertTrue(h.series("discriminator_2d_loss").stream().allMatch(p -> p.value() > 0), "the 2D discriminator learns");
        assertTrue(h.series("feedback_loss").stream().allMatch(p -> p.value() == 0), "BG1 has no feedback");
        assertTrue(h.series("kept_share").stream().allMatch(p -> p.value() > 0.5),
                "without selection most generated windows stay inside the image and are kept: " + h.series("kept_share"));
        assertTrue(!h.names().contains("discriminator_3d_loss"), "BG1 has no 3D discriminator: " + h.names());
    }
}
