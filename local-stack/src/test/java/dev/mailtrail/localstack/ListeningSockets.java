package dev.mailtrail.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The TCP sockets a set of processes listens on, as Linux's /proc lists them. */
final class ListeningSockets {

    private static final Path IPV4 = Path.of("/proc/net/tcp");
    private static final Path IPV6 = Path.of("/proc/net/tcp6");
    private static final String LISTEN = "0A";

    record Listener(InetAddress address, int port) {}

    private ListeningSockets() {}

    static boolean available() {
        return Files.isReadable(IPV4);
    }

    /** Every socket in LISTEN state that one of the processes holds open, on IPv4 and IPv6. */
    static List<Listener> of(List<ProcessHandle> processes) throws IOException {
        Set<String> sockets = new HashSet<>();
        for (ProcessHandle process : processes) {
            try (DirectoryStream<Path> fds =
                    Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            sockets.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // not a socket any more
                    }
                }
            }
        }
        List<Listener> listeners = new ArrayList<>();
        for (Path table : List.of(IPV4, IPV6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                if (fields[3].equals(LISTEN) && sockets.contains(fields[9])) {
                    String[] local = fields[1].split(":");
                    listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listeners;
    }

    /** /proc prints an address as 32-bit words in the machine's byte order; an IPv4-mapped one comes back as IPv4. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < bytes.length; i++) {
            int word = i / 4;
            int inWord = little ? 3 - i % 4 : i % 4;
            int at = (word * 4 + inWord) * 2;
            bytes[i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
        }
        return InetAddress.getByAddress(bytes);
    }
}
