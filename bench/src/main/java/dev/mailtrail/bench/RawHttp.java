package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request over its own socket, the answer read while the body is still being written (as curl does). For bodies
 * the server refuses before it has read them: it may answer 413 and close, and Reactor Netty's client then reports
 * the early close instead of the answer. Header values go as they are, byte for byte (ISO-8859-1), control
 * characters included, which a well-behaved client would refuse to send.
 */
final class RawHttp {

    private RawHttp() {}

    static Answer send(String host, int port, Request r) {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(15_000);
            StringBuilder head = new StringBuilder(
                    r.method().name() + " " + r.path() + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n");
            r.headers()
                    .forEach((name, value) ->
                            head.append(name).append(": ").append(value).append("\r\n"));
            if (r.body() != null) {
                head.append(
                        r.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + r.body().length + "\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(
                    () -> write(out, head.toString().getBytes(StandardCharsets.ISO_8859_1), r), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            return read(new BufferedInputStream(socket.getInputStream()), t0);
        } catch (IOException e) {
            return new Answer(
                    -1,
                    null,
                    null,
                    new byte[0],
                    System.nanoTime() - t0,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void write(OutputStream out, byte[] head, Request r) {
        try {
            out.write(head);
            byte[] body = r.body();
            if (body != null && !r.chunked()) {
                out.write(body);
            } else if (body != null) {
                for (int i = 0; i < body.length; i += 16 * 1024) {
                    int n = Math.min(16 * 1024, body.length - i);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, i, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException ignored) {
            // the server may stop reading once it has answered
        }
    }

    private static Answer read(InputStream in, long t0) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Answer(
                Integer.parseInt(parts[1]),
                headers.get("content-type"),
                headers.get("retry-after"),
                body,
                System.nanoTime() - t0,
                null);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed before the answer was complete");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
