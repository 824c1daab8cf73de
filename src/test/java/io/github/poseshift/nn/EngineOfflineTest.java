package io.github.poseshift.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * The deep-learning stack starts from the Maven jars alone: PyTorch 2.5.1 natives from
 * {@code pytorch-native-cpu} (or {@code -cu124}), offline flags set, no download.
 */
class EngineOfflineTest {

    @Test
    void offlineFlagsAreSetForTheEngine() {
        assertEquals("true", System.getenv("DJL_OFFLINE"));
        assertEquals("true", System.getenv("OPT_OUT_TRACKING"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(null, System.getenv("PYTORCH_VERSION"), "PYTORCH_VERSION must never be set");
    }

    @Test
    void pytorchEngineStartsFromTheBundledNatives() {
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("2.5.1", engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray product = a.matMul(a);
            assertArrayEquals(new float[] {7, 10, 15, 22}, product.toFloatArray());
        }
    }
}
