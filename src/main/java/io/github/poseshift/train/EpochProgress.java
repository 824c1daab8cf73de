package io.github.poseshift.train;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Progress of one training epoch. On an interactive terminal a live bar (samples done, samples/s, the
 * epoch's ETA and the running loss) redraws in place; elsewhere — CI logs, notebooks, redirected output
 * — nothing is printed until the epoch ends. Either way the epoch ends with one line: epoch, loss,
 * samples/s and the ETA of the whole run.
 *
 * <p>With {@code POSESHIFT_PROGRESS=untimed} in the environment (the notebook kernel sets it) the line holds
 * the epoch and the loss only: a notebook re-run whose results are identical then writes identical outputs,
 * which throughput and ETA, different on every run, would not.
 */
public final class EpochProgress implements AutoCloseable {

    private static final int BAR_WIDTH = 100;

    private final PrintWriter log;
    private final String task;
    private final int epoch;
    private final int epochs;
    private final long start = System.nanoTime();
    private final ProgressBar bar;
    private final boolean timed;
    private double lossSum;
    private long samples;

    /**
     * @param log    where to write (null: nothing is written)
     * @param task   prefix of every line, e.g. {@code source-only}
     * @param epoch  one-based epoch number
     * @param epochs epochs in the run
     * @param total  samples in this epoch
     */
    public EpochProgress(PrintWriter log, String task, int epoch, int epochs, long total) {
        this(log, task, epoch, epochs, total, !"untimed".equals(System.getenv("POSESHIFT_PROGRESS")));
    }

    /** As above; {@code timed} says whether the epoch's line holds samples/s and the ETA. */
    EpochProgress(PrintWriter log, String task, int epoch, int epochs, long total, boolean timed) {
        this.timed = timed;
        this.log = log;
        this.task = task;
        this.epoch = epoch;
        this.epochs = epochs;
        this.bar = log != null && isInteractive() ? new ProgressBarBuilder()
                .setTaskName(prefix())
                .setInitialMax(total)
                .setUnit(" samples", 1)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .clearDisplayOnFinish()
                .setConsumer(new WriterConsumer(log))
                .build() : null;
    }

    /** Whether a live bar can be drawn: standard input and output are a terminal, and not in CI. */
    public static boolean isInteractive() {
        return System.console() != null && System.getenv("CI") == null;
    }


    /** Records one step of {@code batch} samples with mean loss {@code lossMm}. */
    public void step(int batch, double lossMm) {
        lossSum += lossMm * batch;
        samples += batch;
        if (bar != null) {
            bar.stepBy(batch);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.1f mm", lossMm));
        }
    }

    /** The mean loss over the epoch's samples so far. */
    public double meanLoss() {
        return samples == 0 ? Double.NaN : lossSum / samples;
    }

    /** Ends the bar and prints the epoch's line. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (log != null) {
            double seconds = (System.nanoTime() - start) / 1e9;
            if (timed) {
                log.printf(Locale.ROOT, "%s  loss %.1f mm  %.0f samples/s  eta %.0f s%n", prefix(), meanLoss(),
                        samples / seconds, seconds * (epochs - epoch));
            } else {
                log.printf(Locale.ROOT, "%s  loss %.1f mm%n", prefix(), meanLoss());
            }
            log.flush();
        }
    }

    private String prefix() {
        return (task == null || task.isEmpty() ? "" : task + " ") + "epoch " + epoch + "/" + epochs;
    }

    /** Draws the bar on the given writer, in place with a carriage return. */
    private static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter out;

        WriterConsumer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return BAR_WIDTH;
        }

        @Override
        public void accept(String rendered) {
            out.print('\r' + rendered);
            out.flush();
        }

        @Override
        public void clear() {
            out.print('\r' + " ".repeat(BAR_WIDTH) + '\r');
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
