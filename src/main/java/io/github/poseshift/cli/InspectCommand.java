package io.github.poseshift.cli;

import com.google.gson.GsonBuilder;
import io.github.poseshift.data.io.PoseFiles;
import io.github.poseshift.eval.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code poseshift inspect}: what a pose file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what a .bvh, .npz, .npy or domain .json file holds: format, skeleton, fps, sequences.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to inspect.")
    private Path file;

    @Option(names = "--json", description = "Print exactly one JSON object (format, skeleton, joints, fps, sequences).")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PoseFiles.Description d = PoseFiles.describe(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("format", d.format());
            o.put("skeleton", d.skeleton());
            o.put("joints", d.joints());
            if (d.fps() != null) {
                o.put("fps", d.fps());
            }
            List<Map<String, Object>> seqs = d.sequences().stream().map(e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("subject", e.subject());
                m.put("action", e.action());
                m.put("frames", e.frames());
                return m;
            }).toList();
            o.put("sequences", seqs);
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
            return 0;
        }
        long frames = d.sequences().stream().mapToLong(PoseFiles.Entry::frames).sum();
        out.printf(Locale.ROOT, "%s: %s, skeleton %s (%d joints)%s, %d sequences, %d frames%n", file, d.format(),
                d.skeleton(), d.joints(), d.fps() == null ? "" : String.format(Locale.ROOT, ", %.4g fps", d.fps()),
                d.sequences().size(), frames);
        int shown = Math.min(20, d.sequences().size());
        List<PoseFiles.Entry> first = d.sequences().subList(0, shown);
        out.print(Tables.text(Table.create("sequences",
                StringColumn.create("subject", first.stream().map(PoseFiles.Entry::subject)),
                StringColumn.create("action", first.stream().map(PoseFiles.Entry::action)),
                IntColumn.create("frames", first.stream().mapToInt(PoseFiles.Entry::frames)))));
        if (shown < d.sequences().size()) {
            out.printf(Locale.ROOT, "... %d more (--json lists all)%n", d.sequences().size() - shown);
        }
        return 0;
    }
}
