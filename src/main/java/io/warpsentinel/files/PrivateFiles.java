package io.warpsentinel.files;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingGroup;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How every file this process writes is created: reports, the finding state, the run history,
 * dead letters. They hold user e-mails and device names, so files are created readable by their
 * owner only ({@code sentinel.file-permissions}, default {@code rw-------}; folders get the
 * matching {@code x} bits). A file is never opened through a symbolic link planted at its path,
 * and text is written as UTF-8 with anything that cannot be encoded replaced, never refused.
 */
public final class PrivateFiles {

    public static final Setting<PrivateFiles> PERMISSIONS = SettingGroup.REPORTS.of("sentinel.file-permissions", "rw-------",
            "nine POSIX permission characters such as rw------- or rw-r-----, the owner reading and writing",
            "POSIX permissions of every file written (reports, finding state, run history, dead letters: they hold user e-mails); "
                    + "folders it creates get the matching x bits (rwx------). rw-r----- lets the group read them.", PrivateFiles::new);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private final Set<PosixFilePermission> filePermissions;
    private final Set<PosixFilePermission> folderPermissions;

    /**
     * @param permissions the files' POSIX permissions, e.g. {@code rw-------} or {@code rw-r-----}
     * @throws IllegalArgumentException when they are not nine {@code rwx-} characters or the owner cannot read and write
     */
    public PrivateFiles(String permissions) {
        Set<PosixFilePermission> parsed;
        parsed = PosixFilePermissions.fromString(permissions);
        if (!parsed.containsAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))) {
            throw new IllegalArgumentException("warp-sentinel would not read and write its own files");
        }
        this.filePermissions = Set.copyOf(parsed);
        Set<PosixFilePermission> folder = new HashSet<>(parsed);
        folder.add(PosixFilePermission.OWNER_EXECUTE);
        if (parsed.contains(PosixFilePermission.GROUP_READ)) {
            folder.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (parsed.contains(PosixFilePermission.OTHERS_READ)) {
            folder.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        this.folderPermissions = Set.copyOf(folder);
    }

    public static PrivateFiles ownerOnly() {
        return new PrivateFiles("rw-------");
    }

    /** The folder and its missing parents; the folders it creates get the folder permissions. */
    public Path folder(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return folder;
        }
        if (absolute.getParent() != null) {
            folder(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, attributes(folderPermissions));
            exact(absolute, folderPermissions);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return folder;
    }

    /** A new file, failing if anything (a file, a symbolic link) is already at its path. */
    public FileChannel create(Path file, OpenOption... more) throws IOException {
        return open(file, true, more);
    }

    /** A file to append to, created if missing; never through a symbolic link. */
    public FileChannel append(Path file) throws IOException {
        return open(file, false, StandardOpenOption.APPEND);
    }

    /** A lock file, created if missing; never through a symbolic link. */
    public FileChannel lockFile(Path file) throws IOException {
        return open(file, false);
    }

    public OutputStream newOutputStream(Path file) throws IOException {
        return Channels.newOutputStream(create(file));
    }

    /** A new text file written as UTF-8; text that cannot be encoded (a lone surrogate) becomes U+FFFD. */
    public BufferedWriter newWriter(Path file) throws IOException {
        return new BufferedWriter(writer(newOutputStream(file)), 1 << 16);
    }

    /** UTF-8 that replaces instead of refusing: one bad character must not cost a whole report. */
    public static Writer writer(OutputStream out) {
        return new OutputStreamWriter(out, StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(REPLACEMENT));
    }

    public void writeString(Path file, String text) throws IOException {
        try (Writer out = newWriter(file)) {
            out.write(text);
        }
    }

    private FileChannel open(Path file, boolean createNew, OpenOption... more) throws IOException {
        if (file.getParent() != null) {
            folder(file.getParent());
        }
        Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS,
                createNew ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE));
        options.addAll(List.of(more));
        boolean existed = !createNew && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel = FileChannel.open(file, options, attributes(filePermissions));
        if (!existed) {
            exact(file, filePermissions);
        }
        return channel;
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    /** The process's umask takes bits away from what creation asked for: set them as configured. */
    private static void exact(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, EnumSet.copyOf(permissions));
        }
    }

    /**
     * A temporary file for this process alone, readable by its owner only and unlinked at once:
     * the open channel keeps the data, and nothing is left behind whatever happens to the process.
     */
    public static FileChannel unlinkedTemporaryFile(String prefix) throws IOException {
        Path path = Files.createTempFile(prefix, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.delete(path);
        }
    }
}
