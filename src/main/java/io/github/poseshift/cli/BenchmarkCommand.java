package io.github.poseshift.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The main job: the cross-dataset benchmark on the bundled synthetic domains. It needs the lifters and
 * the training engine, which the next issue builds; until then it says so and lists what is available
 * now, so the README's first command already works.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Cross-dataset benchmark on the bundled"
        + " synthetic domains (not built yet: needs the lifters and the training engine).")
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("The cross-dataset benchmark is not built yet: the synthetic domains exist (try `synth`), the");
        out.println("lifters and the training engine (nn, train) come next. What PoseShift can do today:");
        out.println();
        spec.parent().commandLine().usage(out);
        return 0;
    }
}
