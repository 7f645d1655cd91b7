package io.warpsentinel.cloudflare;

import io.warpsentinel.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer's body, read whole before any registration of it is used: a page cut short by the
 * network is then retried from the same cursor without a single record taken twice. It stays in
 * memory up to {@value #IN_MEMORY} bytes (a page of 1,000 registrations is about 700 KB); a
 * larger one goes to a temporary file that is unlinked at once, so nothing is left behind
 * whatever happens to the process.
 */
final class PageBody implements AutoCloseable {

    static final int IN_MEMORY = 8 << 20;
    private static final int CHUNK = 64 << 10;

    private final List<byte[]> chunks = new ArrayList<>();
    private int lastChunkSize;
    private FileChannel file;
    private long size;

    private PageBody() {
    }

    /** Reads {@code in} to its end (the HTTP client bounds it in time and size) and closes it. */
    static PageBody read(InputStream in) throws IOException {
        PageBody body = new PageBody();
        try (in) {
            byte[] chunk = new byte[CHUNK];
            int filled = 0;
            for (int count = in.read(chunk, 0, CHUNK); count >= 0; count = in.read(chunk, filled, CHUNK - filled)) {
                filled += count;
                if (filled == CHUNK) {
                    body.append(chunk, filled);
                    chunk = new byte[CHUNK];
                    filled = 0;
                }
            }
            body.append(chunk, filled);
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
        return body;
    }

    static PageBody of(byte[] bytes) {
        PageBody body = new PageBody();
        body.chunks.add(bytes);
        body.lastChunkSize = bytes.length;
        body.size = bytes.length;
        return body;
    }

    long size() {
        return size;
    }

    private void append(byte[] chunk, int length) throws IOException {
        if (length == 0) {
            return;
        }
        size += length;
        if (file == null && size > IN_MEMORY) {
            spill();
        }
        if (file != null) {
            file.write(ByteBuffer.wrap(chunk, 0, length));
        } else {
            chunks.add(chunk);
            lastChunkSize = length;
        }
    }

    private void spill() throws IOException {
        file = PrivateFiles.unlinkedTemporaryFile("warp-sentinel-page-");
        for (int i = 0; i < chunks.size(); i++) {
            file.write(ByteBuffer.wrap(chunks.get(i), 0, i + 1 == chunks.size() ? lastChunkSize : CHUNK));
        }
        chunks.clear();
    }

    /** A new stream over the whole body, from its first byte. */
    InputStream open() {
        return file != null ? new FileRegion(file, size) : new ChunkStream();
    }

    @Override
    public void close() {
        chunks.clear();
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final class ChunkStream extends InputStream {
        private int chunk;
        private int offset;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int length) {
            while (chunk < chunks.size()) {
                int limit = chunk + 1 == chunks.size() ? lastChunkSize : CHUNK;
                if (offset < limit) {
                    int count = Math.min(length, limit - offset);
                    System.arraycopy(chunks.get(chunk), offset, buffer, off, count);
                    offset += count;
                    return count;
                }
                chunk++;
                offset = 0;
            }
            return -1;
        }
    }

    /** Reads the file by position, so several passes can share the one channel. */
    private static final class FileRegion extends InputStream {
        private final FileChannel channel;
        private final long size;
        private long position;

        FileRegion(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int length) throws IOException {
            if (position >= size) {
                return -1;
            }
            int count = channel.read(ByteBuffer.wrap(buffer, off, (int) Math.min(length, size - position)), position);
            if (count > 0) {
                position += count;
            }
            return count;
        }
    }
}
