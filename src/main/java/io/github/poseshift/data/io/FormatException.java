package io.github.poseshift.data.io;

import java.io.IOException;

/**
 * A file that does not hold what its format promises: the message always starts with the file (or
 * archive entry) and says what was expected, e.g. {@code "walk.npy: truncated: header declares 510
 * elements of float32 (2040 bytes) but only 1000 bytes follow"}. Every reader of PoseShift throws it.
 */
public class FormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /** @param source the file or entry; @param problem what is wrong, and what was expected */
    public FormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The same, keeping the low-level cause. */
    public FormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file or archive entry. */
    public String source() {
        return source;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
