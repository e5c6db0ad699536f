package simdvae.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Storage;

/**
 * An exclusive lock on a run's output directory ({@code DIR/.lock}, an operating-system file lock), so two
 * {@code train} runs never write into one directory at once: the second refuses at its start. The lock goes with
 * the process, however it ends; the empty file stays and means nothing by itself.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** The locked directory. */
    Path directory() {
        return dir;
    }

    static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new SimdvaeException("another simdvae train is writing into " + dir + " (it holds " + file
                        + "); wait for it to end, or choose another --out");
            }
            return new RunLock(dir, channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the lock failed already; that is what the user needs to hear
            }
            throw new SimdvaeException("cannot lock " + file + ": " + Storage.describe(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
