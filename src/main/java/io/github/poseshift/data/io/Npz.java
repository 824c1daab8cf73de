package io.github.poseshift.data.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archives ({@code np.savez}, {@code np.savez_compressed}): a zip file with one
 * {@code .npy} entry per array. {@link #read} takes numeric entries only; {@link #readAllowingPickles}
 * also unpickles object entries (VideoPose3D's dictionaries) with the safe {@link NumpyUnpickler} reader.
 */
public final class Npz {

    private Npz() {}

    /**
     * Reads every array, in archive order, keyed by entry name without {@code .npy}.
     *
     * @throws FormatException naming the file (and the entry) when it is not a zip archive or an entry
     *                         is not a numeric array
     */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : readEntries(file, false).entrySet()) {
            arrays.put(e.getKey(), (NpyArray) e.getValue());
        }
        return arrays;
    }

    /**
     * Reads every entry like {@code np.load(file, allow_pickle=True)}: numeric arrays as
     * {@link NpyArray}, object arrays (as {@code np.savez} writes dicts and lists) as a
     * {@link NpyObjectArray} whose elements were unpickled by {@link NumpyUnpickler}, which rebuilds only
     * NumPy arrays, dicts, lists, tuples, sets, numbers, strings and bytes and never runs code.
     *
     * @throws FormatException naming the file and entry when an entry is malformed or its pickle
     *                         refers to anything else
     */
    public static Map<String, Object> readAllowingPickles(Path file) throws IOException {
        return readEntries(file, true);
    }

    /**
     * The array names of an archive, in archive order, from its directory alone: no entry is decoded, so
     * a reader can tell a layout from its keys before paying for its arrays.
     */
    public static List<String> entryNames(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            List<String> names = new ArrayList<>();
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                if (!entry.isDirectory()) {
                    names.add(arrayName(entry));
                }
            }
            return names;
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new FormatException(file.toString(), "not a .npz (zip) archive: " + e.getMessage(), e);
        }
    }

    /** The entry name without {@code .npy}, as {@code np.load} keys it. */
    private static String arrayName(ZipEntry entry) {
        String n = entry.getName();
        return n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
    }

    private static Map<String, Object> readEntries(Path file, boolean allowPickle) throws IOException {
        try (ZipFile zip = open(file)) {
            Map<String, Object> entries = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = arrayName(entry);
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 20)) {
                    // The central directory's size of the entry bounds what its header may declare.
                    long size = entry.getSize() >= 0 ? entry.getSize() : Long.MAX_VALUE;
                    entries.put(name, Npy.read(in, file + "[" + name + "]", allowPickle, size));
                } catch (ZipException e) {
                    throw new FormatException(file + "[" + name + "]", "corrupt archive entry: " + e.getMessage(), e);
                }
            }
            return entries;
        }
    }

    /**
     * Writes the arrays as {@code NAME.npy} entries, deflated when {@code compressed} (like
     * {@code np.savez_compressed}), through a temporary file moved into place.
     */
    public static void write(Path file, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            // Level 0 stores the bytes uncompressed (inside deflate blocks), which np.load reads like savez.
            zip.setLevel(compressed ? 6 : 0);
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.write(zip, e.getValue()); // writes one array and leaves the stream open
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
