package io.warpsentinel.classify;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Registration;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Registrations set aside during an account's listing, on disk (an unlinked temporary file),
 * never in memory: those whose verdict waits for the rest of the listing or for their device's
 * details, to be judged again in order once the listing is complete, and those kept only to be
 * named later (the newest registration of a device, which supersedes older ones). Each record
 * has its length first, so any one of them can be read back by its offset.
 */
final class RegistrationSpool implements AutoCloseable {

    private static final byte PENDING = 1;
    private static final byte REFERENCE = 2;

    private final FileChannel file;
    private final DataOutputStream out;
    // the offset the next record starts at (DataOutputStream counts in an int: a spool may pass 2 GB)
    private long written;
    private final ByteArrayOut record = new ByteArrayOut();
    private final DataOutputStream recordOut = new DataOutputStream(record);
    private long pending;

    RegistrationSpool() {
        try {
            file = PrivateFiles.unlinkedTemporaryFile("warp-sentinel-spool-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the scan's registrations: " + e, e);
        }
        out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16));
    }

    /** Sets a registration aside to be judged again after the listing; returns its offset. */
    long pending(Registration registration) {
        pending++;
        return append(PENDING, registration);
    }

    /** Keeps a registration only to be read back by its offset (it is no finding, but may be named). */
    long reference(Registration registration) {
        return append(REFERENCE, registration);
    }

    long pendingCount() {
        return pending;
    }

    private long append(byte kind, Registration registration) {
        try {
            record.reset();
            recordOut.writeByte(kind);
            write(recordOut, registration);
            long offset = written;
            out.writeInt(record.size());
            out.write(record.buffer(), 0, record.size());
            written += 4 + record.size();
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scan's registrations to a temporary file: " + e, e);
        }
    }

    /** The registration at {@code offset}. */
    Registration read(long offset) {
        try {
            out.flush();
            ByteBuffer length = ByteBuffer.allocate(4);
            readFully(length, offset);
            ByteBuffer bytes = ByteBuffer.allocate(length.getInt(0));
            readFully(bytes, offset + 4);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.array()));
            in.readByte();
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the scan's registrations back from their temporary file: " + e, e);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException();
            }
        }
    }

    /** The registrations set aside to be judged again, in the order they were listed. */
    Iterator<Registration> pendingInOrder() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scan's registrations to a temporary file: " + e, e);
        }
        long end = written;
        DataInputStream in = new DataInputStream(new BufferedInputStream(new Region(file, end), 1 << 16));
        return new Iterator<>() {
            private long left = pending;
            private Registration next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null && left > 0) {
                        int length = in.readInt();
                        byte kind = in.readByte();
                        if (kind == PENDING) {
                            next = read(in);
                            left--;
                        } else {
                            in.skipNBytes(length - 1);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read the scan's registrations back from their temporary file: " + e, e);
                }
                return next != null;
            }

            @Override
            public Registration next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Registration registration = next;
                next = null;
                return registration;
            }
        };
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // an unlinked file: closing frees it, whatever fails here
        }
    }

    private static void write(DataOutputStream out, Registration r) throws IOException {
        for (String field : new String[] {r.id(), r.deviceId(), r.deviceName(), r.clientVersion(), r.userId(), r.userEmail(), r.userName(),
            r.createdAt(), r.lastSeenAt(), r.revokedAt(), r.keyType(), r.tunnelType(), r.policyName(), r.defect(), r.remark()}) {
            out.writeBoolean(field != null);
            if (field != null) {
                // modified UTF-8 holds any char; a field is cut at 1,000 characters when read, well within its limit
                out.writeUTF(field);
            }
        }
    }

    private static Registration read(DataInput in) throws IOException {
        String[] f = new String[15];
        for (int i = 0; i < f.length; i++) {
            f[i] = in.readBoolean() ? in.readUTF() : null;
        }
        return new Registration(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14]);
    }

    private static final class ByteArrayOut extends java.io.ByteArrayOutputStream {
        byte[] buffer() {
            return buf;
        }
    }

    /** The file's bytes up to {@code end}, read by position (the channel's own position is the writer's). */
    private static final class Region extends InputStream {
        private final FileChannel file;
        private final long end;
        private long position;

        Region(FileChannel file, long end) {
            this.file = file;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int count = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (count > 0) {
                position += count;
            }
            return count;
        }
    }
}
