package io.github.poseshift.eval;

/**
 * The headline numbers of one evaluation (a whole test set, one action, one subject...).
 *
 * @param poses    number of poses averaged
 * @param mpjpeMm  MPJPE in millimetres
 * @param nMpjpeMm N-MPJPE in millimetres
 * @param paMpjpeMm PA-MPJPE in millimetres
 * @param pck150   3D-PCK at 150 mm, percent
 * @param auc      AUC over 0–150 mm, percent
 */
public record MetricSummary(int poses, double mpjpeMm, double nMpjpeMm, double paMpjpeMm, double pck150, double auc) {

    /** The unweighted mean of several summaries (the papers' "average over actions"); poses are summed. */
    public static MetricSummary meanOf(Iterable<MetricSummary> rows) {
        int count = 0;
        int poses = 0;
        double[] sum = new double[5];
        for (MetricSummary r : rows) {
            count++;
            poses += r.poses;
            sum[0] += r.mpjpeMm;
            sum[1] += r.nMpjpeMm;
            sum[2] += r.paMpjpeMm;
            sum[3] += r.pck150;
            sum[4] += r.auc;
        }
        if (count == 0) {
            throw new IllegalArgumentException("mean of no summaries");
        }
        return new MetricSummary(poses, sum[0] / count, sum[1] / count, sum[2] / count, sum[3] / count, sum[4] / count);
    }
}
