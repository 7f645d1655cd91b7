package io.warpsentinel.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The operator's config file ({@code SENTINEL_CONFIG}), read as strictly as a setting: anything
 * but a regular file of at most {@value #MAX_BYTES} bytes of UTF-8 with each key once stops the
 * start, naming the file and the line. A FIFO would hang the start, {@code /dev/zero} would fill
 * the heap, a Latin-1 byte would silently become U+FFFD in a value, and a key given twice would
 * silently take the later value.
 */
final class ConfigFile {

    /** 1 MiB: a file of settings is a few kilobytes. */
    static final int MAX_BYTES = 1 << 20;

    private ConfigFile() {
    }

    /** The settings of the file at {@code path}; a file that cannot be trusted is a {@link SettingException}. */
    static Properties read(Path path) {
        return parse(path, decode(path, bytes(path)));
    }

    private static byte[] bytes(Path path) {
        // what it is, before it is opened: opening a FIFO blocks until a writer comes
        if (!Files.exists(path)) {
            throw problem(path, "cannot be read: it does not exist");
        }
        if (Files.isDirectory(path)) {
            throw problem(path, "cannot be read: it is a folder, not a file of settings");
        }
        if (!Files.isRegularFile(path)) {
            throw problem(path, "cannot be read: it is not a regular file (a FIFO, a device or a socket), not a file of settings");
        }
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw tooLarge(path);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                // one byte more than allowed: a file that grew since its size was read is caught too
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(path);
            }
            return bytes;
        } catch (AccessDeniedException denied) {
            throw problem(path, "cannot be read: permission denied");
        } catch (IOException e) {
            throw problem(path, "cannot be read: " + e);
        }
    }

    private static SettingException tooLarge(Path path) {
        return problem(path, "cannot be read: it is larger than 1 MiB, not a file of settings");
    }

    /** The text, strictly UTF-8 (a byte order mark at the start is allowed and dropped). */
    private static String decode(Path path, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw problem(path, String.format("is not UTF-8: line %d has the byte 0x%02X, which UTF-8 does not allow there (a file saved "
                    + "as Latin-1 or Windows-1252?); save it as UTF-8", lineAt(bytes, at), bytes[at] & 0xFF));
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The line of the byte at {@code offset}, counting lines as {@link Properties} does (\n, \r\n or \r). */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }

    /**
     * The settings, each logical line (continuation lines included) parsed by {@link Properties}
     * itself, so escapes and separators mean what they always meant, and each key's line known.
     */
    private static Properties parse(Path path, String text) {
        Properties settings = new Properties();
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        for (LogicalLine logical : logicalLines(text)) {
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.text()));
            } catch (IOException | IllegalArgumentException e) {
                // StringReader does no I/O; a malformed \\uxxxx escape is the one way to fail
                throw problem(path, "cannot be read: line " + logical.line() + ": " + e.getMessage());
            }
            for (String key : one.stringPropertyNames()) {
                settings.setProperty(key, one.getProperty(key));
                lines.computeIfAbsent(key, k -> new ArrayList<>()).add(logical.line());
            }
        }
        List<String> twice = new ArrayList<>();
        lines.forEach((key, on) -> {
            if (on.size() > 1) {
                List<String> named = on.stream().map(String::valueOf).toList();
                twice.add(key + " on lines " + String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1));
            }
        });
        if (!twice.isEmpty()) {
            throw problem(path, "sets a key more than once, and only the last would count: " + String.join("; ", twice) + "; keep one of each");
        }
        return settings;
    }

    record LogicalLine(int line, String text) { }

    /**
     * The logical lines of a properties text as {@link Properties#load(java.io.Reader)} reads them:
     * blank lines and comments (# or ! first) skipped; a line ending in an odd number of
     * backslashes continued on the next, whatever that one starts with. Each with the number of
     * the line it starts on.
     */
    static List<LogicalLine> logicalLines(String text) {
        List<LogicalLine> logical = new ArrayList<>();
        int line = 1;
        int at = 0;
        while (at < text.length()) {
            int start = skipWhitespace(text, at);
            int end = endOfLine(text, start);
            if (start == end || text.charAt(start) == '#' || text.charAt(start) == '!') {
                // blank or a comment (a comment is never continued)
                at = afterEndOfLine(text, end);
                line++;
                continue;
            }
            int first = line;
            int begin = start;
            while (end < text.length() && trailingBackslashes(text, start, end) % 2 == 1) {
                line++;
                start = skipWhitespace(text, afterEndOfLine(text, end));
                end = endOfLine(text, start);
            }
            // with its line break: Properties reads a continued line at the end of its input differently
            at = afterEndOfLine(text, end);
            logical.add(new LogicalLine(first, text.substring(begin, at)));
            line++;
        }
        return logical;
    }

    private static int skipWhitespace(String text, int at) {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\f')) {
            at++;
        }
        return at;
    }

    private static int endOfLine(String text, int at) {
        while (at < text.length() && text.charAt(at) != '\n' && text.charAt(at) != '\r') {
            at++;
        }
        return at;
    }

    private static int afterEndOfLine(String text, int end) {
        if (end < text.length() && text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n') {
            return end + 2;
        }
        return Math.min(end + 1, text.length());
    }

    private static int trailingBackslashes(String text, int start, int end) {
        int count = 0;
        while (end - count > start && text.charAt(end - count - 1) == '\\') {
            count++;
        }
        return count;
    }

    private static SettingException problem(Path path, String what) {
        return new SettingException("The config file " + path.toAbsolutePath() + " (" + OperatorSettings.CONFIG_VARIABLE + " or -D"
                + OperatorSettings.CONFIG_PROPERTY + ") " + what);
    }
}
