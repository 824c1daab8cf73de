package io.github.poseshift.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NoSuchElementException;

/**
 * A {@code .npy} array read a block of rows (slices along its first axis) at a time, for arrays too
 * large to hold whole: {@code poseshift eval} scores ten million poses with the memory of one block.
 * Opening reads the header and checks the file's length against it, so a truncated file fails before
 * any row is used. Each block is decoded as {@link Npy#read(Path)} decodes the whole array (same
 * dtypes, same element values), into an {@link NpyArray} of shape {@code [rows, shape[1], ...]}.
 * The whole array may hold more than 2^31 elements; one block may not.
 */
public final class NpyBlockReader implements Closeable {

    private final FileChannel channel;
    private final String source;
    private final Npy.Header header;
    private final long rows;
    private final long rowBytes;
    private long rowsRead;
    private byte[] buffer = new byte[0];

    private NpyBlockReader(FileChannel channel, String source, Npy.Header header, long rows, long rowBytes) {
        this.channel = channel;
        this.source = source;
        this.header = header;
        this.rows = rows;
        this.rowBytes = rowBytes;
    }

    /**
     * Opens {@code file} and reads its header; numeric dtypes only (no pickled object arrays).
     *
     * @throws FormatException naming the file when it is a folder, not a {@code .npy} array, or shorter or
     *                         longer than its header declares
     */
    public static NpyBlockReader open(Path file) throws IOException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new FormatException(source, "is a folder, not a .npy file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            // The channel's stream does not buffer, so the channel stands at the first element afterwards.
            Npy.Header h = Npy.readHeader(Channels.newInputStream(channel), source, false);
            int[] shape = h.shape();
            long rowElements = 1;
            long elements;
            long dataBytes;
            try {
                for (int d = 1; d < shape.length; d++) {
                    rowElements = Math.multiplyExact(rowElements, shape[d]);
                }
                elements = Math.multiplyExact(rowElements, shape.length == 0 ? 1 : shape[0]);
                dataBytes = Math.multiplyExact(elements, h.dtype().itemSize());
            } catch (ArithmeticException e) {
                throw new FormatException(source, "shape " + NpyArray.shapeString(shape) + " is too large");
            }
            long present = channel.size() - channel.position();
            if (present < dataBytes) {
                throw Npy.truncated(source, elements, h.dtype(), present);
            }
            if (present > dataBytes) {
                throw new FormatException(source, "unexpected bytes after the " + elements
                        + " elements the header declares");
            }
            // A rank-0 array is one row of one element.
            long rows = shape.length == 0 ? 1 : shape[0];
            return new NpyBlockReader(channel, source, h, rows, rowElements * h.dtype().itemSize());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The whole array's shape, as its header declares it. */
    public int[] shape() {
        return header.shape().clone();
    }

    /** The element type. */
    public NpyDType dtype() {
        return header.dtype();
    }

    /** Rows along the first axis ({@code shape[0]}; 1 for a rank-0 array). */
    public long rows() {
        return rows;
    }

    /** Rows not read yet. */
    public long rowsLeft() {
        return rows - rowsRead;
    }

    /** The file, as given to {@link #open}, for messages. */
    public String source() {
        return source;
    }

    /**
     * Reads the next {@code min(maxRows, rowsLeft())} rows.
     *
     * @throws NoSuchElementException   when every row has been read
     * @throws IllegalArgumentException when {@code maxRows} is not positive, or the block would exceed
     *                                  2^31 - 1 bytes
     * @throws FormatException          when the file shrank since it was opened
     */
    public NpyArray next(int maxRows) throws IOException {
        if (maxRows <= 0) {
            throw new IllegalArgumentException("block of " + maxRows + " rows");
        }
        if (rowsLeft() == 0) {
            throw new NoSuchElementException(source + ": all " + rows + " rows have been read");
        }
        int count = (int) Math.min(maxRows, rowsLeft());
        long bytes = count * rowBytes;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a block of " + count + " rows of " + source + " needs " + bytes
                    + " bytes, more than one Java array holds");
        }
        if (buffer.length != bytes) {
            // Every block but the last has the same size, so this allocates twice at most.
            buffer = new byte[(int) bytes];
        }
        ByteBuffer target = ByteBuffer.wrap(buffer);
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                throw new FormatException(source, "truncated while reading rows " + rowsRead + " to "
                        + (rowsRead + count - 1) + ": the file shrank after it was opened");
            }
        }
        int[] shape = header.shape().clone();
        if (shape.length > 0) {
            shape[0] = count;
        }
        rowsRead += count;
        return Npy.fromBytes(header.dtype(), header.order(), shape, buffer, source);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
