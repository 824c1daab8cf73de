package io.github.poseshift.render;

/** Separable Gaussian blur of an interleaved RGB float image, edges clamped: defocus and motion softness. */
final class Blur {

    private Blur() {}

    /** Blurs {@code rgb} ({@code [size][size][3]}) in place with standard deviation {@code sigma} pixels; none below 0.3. */
    static void gaussian(float[] rgb, int size, double sigma) {
        if (sigma < 0.3) {
            return;
        }
        int radius = (int) Math.ceil(2.5 * sigma);
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] tmp = new float[rgb.length];
        pass(rgb, tmp, size, kernel, radius, 3, 3 * size);
        pass(tmp, rgb, size, kernel, radius, 3 * size, 3);
    }

    /** One 1D pass: along steps of {@code step} within lines that start {@code lineStep} apart. */
    private static void pass(float[] in, float[] out, int size, float[] kernel, int radius, int step, int lineStep) {
        for (int line = 0; line < size; line++) {
            int base = line * lineStep;
            for (int i = 0; i < size; i++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = -radius; k <= radius; k++) {
                    int q = base + Math.max(0, Math.min(size - 1, i + k)) * step;
                    float w = kernel[k + radius];
                    r += w * in[q];
                    g += w * in[q + 1];
                    b += w * in[q + 2];
                }
                int o = base + i * step;
                out[o] = r;
                out[o + 1] = g;
                out[o + 2] = b;
            }
        }
    }
}
