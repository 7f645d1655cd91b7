package io.warpsentinel.classify;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Device;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * The details of the devices an account's findings run on, as Cloudflare's inventory answered,
 * on disk (an unlinked temporary file) with a primitive index by device id in memory: the
 * details of a hundred thousand devices cost the index's 24 bytes each, not their text. When the
 * whole inventory is listed, only the findings' devices are kept ({@link #keepOnly}). When it is
 * listed beside the registrations, before the findings are known ({@link #keepAllUntilKnown}),
 * every device goes to the file unindexed, and the findings' ones are indexed from it once known:
 * the index of a million devices would cost 24 MB that a scan of a million registrations in
 * {@code -Xmx128m} does not have.
 */
public final class DeviceDirectory implements AutoCloseable {

    // a device's fields, in the file in this order: id first
    private static final int FIELDS = 8;

    private final FileChannel file;
    private final OutputStream out;
    private final KeyedLongs index = new KeyedLongs(1024);
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(256);
    private final DataOutputStream recordOut = new DataOutputStream(record);
    private LongSet wanted;
    // every device written and none indexed yet: the findings are not known (keepAllUntilKnown)
    private boolean indexLater;
    private long written;
    private boolean complete;

    public DeviceDirectory() {
        try {
            file = PrivateFiles.unlinkedTemporaryFile("warp-sentinel-devices-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the devices' details: " + e, e);
        }
        out = new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16);
    }

    /** Room in the index for as many devices as will be asked for, made once (a grown index is copied). */
    public void expect(DeviceIds devices) {
        index.reserve((int) Math.min(Integer.MAX_VALUE - 16, devices.count()));
    }

    /** The inventory is listed before the findings are known: every device is kept on disk, none indexed, until {@link #keepOnly}. */
    public void keepAllUntilKnown() {
        indexLater = true;
    }

    /** The inventory begun before the findings were known read nothing: the devices are indexed as they come after all. */
    public void nothingWritten() {
        if (written != 0) {
            throw new IllegalStateException("devices were written");
        }
        indexLater = false;
    }

    /**
     * Only these devices' details are kept: the whole inventory is listed, and most of it is not
     * wanted. Those written already (listed beside the registrations) are indexed now.
     */
    public void keepOnly(DeviceIds devices) {
        LongSet keys = new LongSet();
        devices.each().get().forEachRemaining(id -> keys.add(Keys.of(id)));
        wanted = keys;
        if (indexLater) {
            indexLater = false;
            indexWritten();
        }
    }

    /** Indexes the wanted devices among those written unindexed, reading the file through once. */
    private void indexWritten() {
        try {
            out.flush();
            try (DataInputStream in = new DataInputStream(new FileRegion(file, written))) {
                for (long offset = 0; offset < written; ) {
                    int idBytes = in.readInt();
                    String id = SpoolText.read(in, idBytes);
                    long length = Integer.BYTES + Math.max(0, idBytes);
                    for (int field = 1; field < FIELDS; field++) {
                        int bytes = Math.max(0, in.readInt());
                        in.skipNBytes(bytes);
                        length += Integer.BYTES + bytes;
                    }
                    if (id != null && wanted.contains(Keys.of(id))) {
                        index.add(Keys.of(id), offset, length);
                    }
                    offset += length;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the devices' details back from their temporary file: " + e, e);
        }
    }

    /** A device as Cloudflare answered; a device answered twice keeps its first answer. */
    public void put(Device device) {
        if (device.id() == null || complete || wanted != null && !wanted.contains(Keys.of(device.id()))) {
            return;
        }
        try {
            record.reset();
            for (String field : fields(device)) {
                SpoolText.write(recordOut, field);
            }
            record.writeTo(out);
            if (!indexLater) {
                index.add(Keys.of(device.id()), written, record.size());
            }
            written += record.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the devices' details to a temporary file: " + e, e);
        }
    }

    /** Every device is in: they can be found. */
    public void complete() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the devices' details to a temporary file: " + e, e);
        }
        index.sort();
        complete = true;
    }

    public int size() {
        return index.size();
    }

    /** The details of the device with this id, or null when Cloudflare's inventory did not have it. */
    public Device find(String deviceId) {
        if (deviceId == null || !complete) {
            return null;
        }
        long key = Keys.of(deviceId);
        // a device answered twice (it moved between pages while the inventory was paged) keeps its
        // first answer, the one written first: the sort does not keep the order of equal keys
        Device found = null;
        long foundAt = Long.MAX_VALUE;
        for (int position = index.find(key); position >= 0 && position < index.size() && index.key(position) == key; position++) {
            long offset = index.first(position);
            if (offset < foundAt) {
                Device device = read(offset, (int) index.second(position));
                if (deviceId.equals(device.id())) {
                    found = device;
                    foundAt = offset;
                }
            }
        }
        return found;
    }

    private Device read(long offset, int length) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining()) {
                if (file.read(bytes, offset + bytes.position()) < 0) {
                    throw new EOFException();
                }
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.array()));
            String[] f = new String[FIELDS];
            for (int i = 0; i < f.length; i++) {
                f[i] = SpoolText.read(in);
            }
            return new Device(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the devices' details back from their temporary file: " + e, e);
        }
    }

    private static String[] fields(Device d) {
        return new String[] {d.id(), d.deviceType(), d.osVersion(), d.manufacturer(), d.model(), d.serialNumber(), d.lastSeenAt(),
            d.activeRegistrations()};
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // an unlinked file: closing frees it
        }
    }
}
