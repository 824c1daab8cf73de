package io.github.poseshift.data.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Biovision Hierarchy (BVH) motion capture: the HIERARCHY of joints with their OFFSETs and
 * CHANNELS, then the MOTION section with one line of channel values per frame. Each joint's own
 * CHANNELS line is honoured (the Bandai-Namco files give every joint six channels, position and
 * rotation, not only the root), and rotations are composed in the order their channels are listed.
 * End Sites become joints named {@code <parent>_End}. Errors name the file, the line and what was
 * expected; the result is a {@link BvhClip}.
 */
public final class Bvh {

    private Bvh() {}

    /** The six channel kinds of the format. */
    public enum Channel {
        XPOSITION, YPOSITION, ZPOSITION, XROTATION, YROTATION, ZROTATION;

        /** Whether this is a rotation channel. */
        public boolean isRotation() {
            return this == XROTATION || this == YROTATION || this == ZROTATION;
        }

        /** 0, 1 or 2 for x, y, z. */
        public int axis() {
            return ordinal() % 3;
        }

        static Channel parse(String token) {
            return switch (token.toLowerCase(Locale.ROOT)) {
                case "xposition" -> XPOSITION;
                case "yposition" -> YPOSITION;
                case "zposition" -> ZPOSITION;
                case "xrotation" -> XROTATION;
                case "yrotation" -> YROTATION;
                case "zrotation" -> ZROTATION;
                default -> null;
            };
        }
    }

    /** Reads a BVH file. */
    public static BvhClip read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return new Parser(file.getFileName().toString(), file.toString(), lines).parse();
    }

    /** Parses BVH text; {@code source} names it in errors. */
    public static BvhClip parse(String text, String source) throws FormatException {
        return new Parser(source, source, text.lines().toList()).parse();
    }

    /** A token and the (1-based) line it came from. */
    private record Token(String text, int line) {}

    private static final class Parser {
        private final String name;
        private final String source;
        private final List<String> lines;
        private final List<Token> tokens = new ArrayList<>();
        private int next;
        private int motionLine = -1;

        private final List<String> jointNames = new ArrayList<>();
        private final List<Integer> parents = new ArrayList<>();
        private final List<double[]> offsets = new ArrayList<>();
        private final List<Channel[]> channels = new ArrayList<>();
        private int totalChannels;

        Parser(String name, String source, List<String> lines) {
            this.name = name;
            this.source = source;
            this.lines = lines;
        }

        BvhClip parse() throws FormatException {
            // Tokenise the hierarchy and the motion header up to "Frames:"; frame lines are read line by line.
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                for (String t : line.split("\\s+")) {
                    if (!t.isEmpty()) {
                        tokens.add(new Token(t, i + 1));
                    }
                }
                if (line.toUpperCase(Locale.ROOT).startsWith("MOTION")) {
                    motionLine = i;
                }
                if (motionLine >= 0 && line.startsWith("Frames:")) {
                    break;
                }
            }
            expect("HIERARCHY");
            expect("ROOT");
            joint(-1);
            if (motionLine < 0) {
                throw error(lines.size(), "no MOTION section after the hierarchy");
            }
            expect("MOTION");
            return motion();
        }

        private void joint(int parent) throws FormatException {
            Token nameToken = take("a joint name");
            int index = jointNames.size();
            jointNames.add(nameToken.text());
            parents.add(parent);
            expect("{");
            expect("OFFSET");
            offsets.add(new double[] {number(take("an x offset")), number(take("a y offset")), number(take("a z offset"))});
            Channel[] own = new Channel[0];
            if (peek("CHANNELS")) {
                Token keyword = take("CHANNELS");
                Token countToken = take("a channel count");
                int count;
                try {
                    count = Integer.parseInt(countToken.text());
                } catch (NumberFormatException e) {
                    throw error(countToken.line(), "expected a channel count, found '" + countToken.text() + "'");
                }
                if (count < 0 || count > 6) {
                    throw error(keyword.line(), "joint " + nameToken.text() + " declares " + count + " channels (0 to 6 allowed)");
                }
                own = new Channel[count];
                for (int c = 0; c < count; c++) {
                    Token t = take("a channel name");
                    own[c] = Channel.parse(t.text());
                    if (own[c] == null) {
                        throw error(t.line(), "unknown channel '" + t.text() + "' of joint " + nameToken.text()
                                + " (expected Xposition, Yposition, Zposition, Xrotation, Yrotation or Zrotation)");
                    }
                }
            }
            channels.add(own);
            totalChannels += own.length;
            while (!peek("}")) {
                Token t = take("JOINT, End Site or '}'");
                if (t.text().equals("JOINT")) {
                    joint(index);
                } else if (t.text().equals("End") && peek("Site")) {
                    take("Site");
                    endSite(index);
                } else {
                    throw error(t.line(), "expected JOINT, End Site or '}' inside joint " + nameToken.text()
                            + ", found '" + t.text() + "'");
                }
            }
            take("}");
        }

        private void endSite(int parent) throws FormatException {
            String base = jointNames.get(parent) + "_End";
            String site = base;
            for (int k = 2; jointNames.contains(site); k++) {
                site = base + k;
            }
            jointNames.add(site);
            parents.add(parent);
            expect("{");
            expect("OFFSET");
            offsets.add(new double[] {number(take("an x offset")), number(take("a y offset")), number(take("a z offset"))});
            channels.add(new Channel[0]);
            expect("}");
        }

        private BvhClip motion() throws FormatException {
            expect("Frames:");
            Token framesToken = take("a frame count");
            int frames;
            try {
                frames = Integer.parseInt(framesToken.text());
            } catch (NumberFormatException e) {
                throw error(framesToken.line(), "expected a frame count after Frames:, found '" + framesToken.text() + "'");
            }
            // "Frame Time:" sits on the next line; read it and the frames from the raw lines.
            int lineIndex = framesToken.line();
            String timeLine = lineIndex < lines.size() ? lines.get(lineIndex).strip() : "";
            if (!timeLine.startsWith("Frame Time:")) {
                throw error(lineIndex + 1, "expected 'Frame Time: <seconds>', found '" + timeLine + "'");
            }
            double frameTime;
            try {
                frameTime = Double.parseDouble(timeLine.substring("Frame Time:".length()).strip());
            } catch (NumberFormatException e) {
                throw error(lineIndex + 1, "unparsable frame time '" + timeLine + "'");
            }
            if (!(frameTime > 0) || Double.isInfinite(frameTime)) {
                throw error(lineIndex + 1, "frame time must be positive, got " + frameTime);
            }
            if (frames <= 0) {
                throw error(framesToken.line(), "the clip declares " + frames + " frames");
            }
            // One line per frame: a count beyond the lines the file has is refused before it is allocated.
            int present = 0;
            for (int i = lineIndex + 1; i < lines.size(); i++) {
                present += lines.get(i).isBlank() ? 0 : 1;
            }
            if (frames > present) {
                throw error(lines.size(), "truncated: " + frames + " frames declared, " + present + " present");
            }
            if ((long) frames * totalChannels > Integer.MAX_VALUE) {
                throw error(framesToken.line(), "the clip declares " + frames + " frames of " + totalChannels
                        + " channels, more than 2^31 - 1 values");
            }
            double[] values = new double[frames * totalChannels];
            int frame = 0;
            for (int i = lineIndex + 1; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (frame == frames) {
                    throw error(i + 1, "more motion lines than the " + frames + " frames declared");
                }
                String[] parts = line.split("\\s+");
                if (parts.length != totalChannels) {
                    throw error(i + 1, "frame " + frame + " has " + parts.length + " values but the hierarchy declares "
                            + totalChannels + " channels");
                }
                for (int c = 0; c < parts.length; c++) {
                    try {
                        values[frame * totalChannels + c] = Double.parseDouble(parts[c]);
                    } catch (NumberFormatException e) {
                        throw error(i + 1, "value " + (c + 1) + " '" + parts[c] + "' is not a number");
                    }
                }
                frame++;
            }
            return new BvhClip(name, jointNames, parents.stream().mapToInt(Integer::intValue).toArray(), offsets,
                    channels, frameTime, frames, values);
        }

        private boolean peek(String text) {
            return next < tokens.size() && tokens.get(next).text().equals(text);
        }

        private Token take(String what) throws FormatException {
            if (next >= tokens.size()) {
                throw error(lines.size(), "unexpected end of the hierarchy, expected " + what);
            }
            return tokens.get(next++);
        }

        private void expect(String text) throws FormatException {
            Token t = take("'" + text + "'");
            if (!t.text().equals(text)) {
                throw error(t.line(), "expected '" + text + "', found '" + t.text() + "'");
            }
        }

        private double number(Token t) throws FormatException {
            try {
                double v = Double.parseDouble(t.text());
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(t.line(), "expected a number, found '" + t.text() + "'");
            }
        }

        private FormatException error(int line, String problem) {
            return new FormatException(source, "line " + line + ": " + problem);
        }
    }
}
