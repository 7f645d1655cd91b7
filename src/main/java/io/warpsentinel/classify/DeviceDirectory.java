package io.warpsentinel.classify;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.Device;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The details of the devices an account's findings run on, as Cloudflare's inventory answered,
 * on disk (an unlinked temporary file) with a primitive index by device id in memory: the
 * details of a hundred thousand devices cost the index's 24 bytes each, not their text.
 */
public final class DeviceDirectory implements AutoCloseable {

    private final FileChannel file;
    private final KeyedLongs index = new KeyedLongs(1024);
    private long written;
    private boolean complete;

    public DeviceDirectory() {
        try {
            file = PrivateFiles.unlinkedTemporaryFile("warp-sentinel-devices-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the devices' details: " + e, e);
        }
    }

    /** A device as Cloudflare answered; a device answered twice keeps its first answer. */
    public void put(Device device) {
        if (device.id() == null || complete) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0); // the length, set below
            for (String field : fields(device)) {
                out.writeBoolean(field != null);
                if (field != null) {
                    out.writeUTF(field);
                }
            }
            ByteBuffer record = ByteBuffer.wrap(bytes.toByteArray());
            record.putInt(0, record.capacity() - 4);
            long offset = written;
            while (record.hasRemaining()) {
                written += file.write(record, written);
            }
            index.add(Keys.of(device.id()), offset, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the devices' details to a temporary file: " + e, e);
        }
    }

    /** Every device is in: they can be found. */
    public void complete() {
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
        for (int position = index.find(key); position >= 0 && position < index.size() && index.key(position) == key; position++) {
            Device device = read(index.first(position));
            if (deviceId.equals(device.id())) {
                return device;
            }
        }
        return null;
    }

    private Device read(long offset) {
        try {
            ByteBuffer length = ByteBuffer.allocate(4);
            readFully(length, offset);
            ByteBuffer bytes = ByteBuffer.allocate(length.getInt(0));
            readFully(bytes, offset + 4);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.array()));
            String[] f = new String[8];
            for (int i = 0; i < f.length; i++) {
                f[i] = in.readBoolean() ? in.readUTF() : null;
            }
            return new Device(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the devices' details back from their temporary file: " + e, e);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException();
            }
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
