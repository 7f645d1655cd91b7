package io.warpsentinel.classify;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Text in the scan's temporary files: its length in UTF-8 bytes (-1 for null), then those bytes,
 * by String's own encoder and decoder, several times faster than writeUTF and readUTF going
 * character by character. What the scan keeps is valid Unicode only (RegistrationReader repairs
 * the rest), so it reads back exactly as it was written.
 */
final class SpoolText {

    private SpoolText() {
    }

    static void write(DataOutput out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String read(DataInput in) throws IOException {
        return read(in, in.readInt());
    }

    /** The text whose length {@code bytes} (as {@link #write} wrote it) was read already. */
    static String read(DataInput in, int bytes) throws IOException {
        if (bytes < 0) {
            return null;
        }
        byte[] utf8 = new byte[bytes];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
