package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.geometry.Rotation;
import java.util.Random;

/**
 * An image's lighting: an ambient level plus directional lights fixed in the world (a lab's lamps, the sun),
 * drawn from the style; Lambertian, so a surface with unit normal n receives ambient + Σ Iᵢ·max(0, n·Lᵢ).
 */
final class Lights {

    private final float ambient;
    private final float[] intensity;
    private final double[] world;
    private final double[] camera;

    Lights(DomainSpec.Image style, Rotation worldToCamera, Random rng) {
        ambient = (float) style.ambient().sample(rng);
        int n = style.lights();
        intensity = new float[n];
        world = new double[3 * n];
        camera = new double[3 * n];
        for (int i = 0; i < n; i++) {
            intensity[i] = (float) style.lightIntensity().sample(rng);
            double el = Math.toRadians(style.lightElevationDeg().sample(rng));
            double az = Math.toRadians(style.lightAzimuthDeg().sample(rng));
            double[] l = {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
            System.arraycopy(l, 0, world, 3 * i, 3);
            System.arraycopy(worldToCamera.apply(l), 0, camera, 3 * i, 3);
        }
    }

    /** The light a surface with world-frame unit normal n receives. */
    float world(double nx, double ny, double nz) {
        return received(world, nx, ny, nz);
    }

    /** The light a surface with camera-frame unit normal n receives. */
    float camera(double nx, double ny, double nz) {
        return received(camera, nx, ny, nz);
    }

    private float received(double[] dirs, double nx, double ny, double nz) {
        double sum = ambient;
        for (int i = 0; i < intensity.length; i++) {
            double d = nx * dirs[3 * i] + ny * dirs[3 * i + 1] + nz * dirs[3 * i + 2];
            if (d > 0) {
                sum += intensity[i] * d;
            }
        }
        return (float) sum;
    }
}
