package io.warpsentinel.classify;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Registration;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An account's registrations kept during its listing, on disk (an unlinked temporary file), never
 * in memory: those set aside, to be judged in listing order once the listing is complete, and
 * those already judged that may supersede others (the newer registration is named in the report:
 * of these, only what names it is kept).
 * Each record has its length first (any one can be read back by its offset) and a small header a
 * pass can read without the record: what the listing knew of it (its {@link Hint}), and its
 * device's id.
 */
final class RegistrationSpool implements AutoCloseable {

    /**
     * What the listing knew of a registration: whether it is judged already, whether its device's
     * details are wanted (it may be a finding), and how to find the newer one that may supersede it.
     */
    record Hint(boolean judged, boolean wantsDevice, boolean supersedable, long deviceAndUser, long seenMicros) {
    }

    /** A record's header, its device's id and where it starts, read without the rest of the record. */
    record Header(Hint hint, String deviceId, long offset) {
    }

    private final FileChannel file;
    private final DataOutputStream out;
    // the offset the next record starts at (DataOutputStream counts in an int: a spool may pass 2 GB)
    private long written;
    private final ByteArrayOut record = new ByteArrayOut();
    private final DataOutputStream recordOut = new DataOutputStream(record);
    private long count;
    private long supersedable;

    RegistrationSpool() {
        try {
            file = PrivateFiles.unlinkedTemporaryFile("warp-sentinel-spool-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the scan's registrations: " + e, e);
        }
        out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16));
    }

    /** Sets a registration aside; returns its offset. */
    long append(Hint hint, Registration registration) {
        count++;
        if (hint.supersedable()) {
            supersedable++;
        }
        try {
            record.reset();
            recordOut.writeBoolean(hint.judged());
            recordOut.writeBoolean(hint.wantsDevice());
            recordOut.writeBoolean(hint.supersedable());
            recordOut.writeLong(hint.deviceAndUser());
            recordOut.writeLong(hint.seenMicros());
            write(recordOut, hint.judged() ? asNewer(registration) : registration);
            long offset = written;
            out.writeInt(record.size());
            out.write(record.buffer(), 0, record.size());
            written += 4 + record.size();
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the scan's registrations to a temporary file: " + e, e);
        }
    }

    /** How many of the registrations kept may supersede another. */
    long supersedable() {
        return supersedable;
    }

    /** The registration at {@code offset} (of one judged already, only what names it). */
    Registration read(long offset) {
        try {
            out.flush();
            ByteBuffer length = ByteBuffer.allocate(4);
            readFully(length, offset);
            ByteBuffer bytes = ByteBuffer.allocate(length.getInt(0));
            readFully(bytes, offset + 4);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.array()));
            in.skipNBytes(HEADER);
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

    private static final int HEADER = 3 + 8 + 8;

    /** The registrations set aside (not judged yet), in the order they were listed. */
    Iterator<Registration> setAside() {
        return new Reader<>() {
            @Override
            Registration next(DataInputStream in, int length, long offset) throws IOException {
                boolean judged = in.readBoolean();
                if (judged) {
                    in.skipNBytes(length - 1);
                    return null;
                }
                in.skipNBytes(HEADER - 1);
                return read(in);
            }
        };
    }

    /** Every record's header and device id, in listing order, the rest of each record skipped unread. */
    Iterator<Header> headers() {
        return new Reader<>() {
            @Override
            Header next(DataInputStream in, int length, long offset) throws IOException {
                Hint hint = new Hint(in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readLong(), in.readLong());
                int deviceIdBytes = in.readInt();
                String deviceId = SpoolText.read(in, deviceIdBytes);
                in.skipNBytes(length - HEADER - 4 - Math.max(deviceIdBytes, 0));
                return new Header(hint, deviceId, offset);
            }
        };
    }

    /** Reads the records written so far, one at a time, those {@link #next} skips left out. */
    private abstract class Reader<T> implements Iterator<T> {
        private final DataInputStream in;
        private long left = count;
        private long position;
        private T next;

        Reader() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the scan's registrations to a temporary file: " + e, e);
            }
            in = new DataInputStream(new FileRegion(file, written));
        }

        /** What the record of {@code length} bytes at {@code offset} (the stream's position) gives, having read them all; null to leave it out. */
        abstract T next(DataInputStream in, int length, long offset) throws IOException;

        @Override
        public boolean hasNext() {
            try {
                while (next == null && left > 0) {
                    left--;
                    int length = in.readInt();
                    next = next(in, length, position);
                    position += 4 + length;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the scan's registrations back from their temporary file: " + e, e);
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T value = next;
            next = null;
            return value;
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // an unlinked file: closing frees it, whatever fails here
        }
    }

    /**
     * A registration judged already is kept only as the newer one that may supersede others: its
     * id, device, user and last seen are all that is read of it, and the rest would be most of the
     * spool's bytes.
     */
    private static Registration asNewer(Registration r) {
        return new Registration(r.id(), r.deviceId(), null, null, r.userId(), null, null, null, r.lastSeenAt(), null, null, null, null, null, null);
    }

    private static void write(DataOutputStream out, Registration r) throws IOException {
        for (String field : new String[] {r.deviceId(), r.id(), r.deviceName(), r.clientVersion(), r.userId(), r.userEmail(), r.userName(),
            r.createdAt(), r.lastSeenAt(), r.revokedAt(), r.keyType(), r.tunnelType(), r.policyName(), r.defect(), r.remark()}) {
            SpoolText.write(out, field);
        }
    }

    private static Registration read(DataInput in) throws IOException {
        String[] f = new String[15];
        for (int i = 0; i < f.length; i++) {
            f[i] = SpoolText.read(in);
        }
        // the device's id first: a pass over the headers reads it and skips the rest
        return new Registration(f[1], f[0], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14]);
    }

    private static final class ByteArrayOut extends java.io.ByteArrayOutputStream {
        byte[] buffer() {
            return buf;
        }
    }
}
