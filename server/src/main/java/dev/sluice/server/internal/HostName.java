package dev.sluice.server.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, the default node name. */
public final class HostName {
    private static final Path LINUX_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private HostName() {
    }

    /**
     * Returns the host name. On Linux it is read from the kernel, because {@link InetAddress#getLocalHost()} resolves
     * the name too and can wait seconds for DNS on a machine whose name is not in {@code /etc/hosts}.
     */
    public static String local() {
        try {
            if (Files.isReadable(LINUX_HOSTNAME)) {
                String name = Files.readString(LINUX_HOSTNAME).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
