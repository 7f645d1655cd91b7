package io.warpsentinel.classify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The file's bytes up to {@code end}, read by position (the channel's own position is the
 * writer's) through a buffer of its own: unsynchronized, unlike BufferedInputStream, as
 * DataInputStream reads a number a byte at a time and a pass reads every record's header.
 */
final class FileRegion extends InputStream {
    private final FileChannel file;
    private final long end;
    // where in the file the buffer's bytes end
    private long position;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).limit(0);

    FileRegion(FileChannel file, long end) {
        this.file = file;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        return buffer.hasRemaining() || fill() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int count = Math.min(len, buffer.remaining());
        buffer.get(b, off, count);
        return count;
    }

    @Override
    public long skip(long n) {
        if (n <= 0) {
            return 0;
        }
        int inBuffer = (int) Math.min(n, buffer.remaining());
        buffer.position(buffer.position() + inBuffer);
        long past = Math.min(n - inBuffer, end - position);
        position += past;
        return inBuffer + past;
    }

    private boolean fill() throws IOException {
        if (position >= end) {
            return false;
        }
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
        int count = file.read(buffer, position);
        if (count <= 0) {
            buffer.limit(0);
            return false;
        }
        position += count;
        buffer.flip();
        return true;
    }
}
