package io.skyrun.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain SMTP server on 127.0.0.1 that accepts every message and records envelope and data. */
public final class FakeSmtp implements AutoCloseable {
    /** One received message. */
    public record Mail(String from, List<String> to, String data) {
    }

    private final ServerSocket server;
    private final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public FakeSmtp() {
        try {
            server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::serve, "fake-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Mail> mails() {
        return List.copyOf(mails);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                session(socket);
            } catch (IOException e) {
                // closed, or a client went away: wait for the next one
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        reply(out, "220 fake-smtp ready");
        String from = null;
        List<String> to = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                reply(out, "250 fake-smtp");
            } else if (upper.startsWith("MAIL FROM:")) {
                from = line.substring(10).replaceAll("[<>]", "").strip();
                reply(out, "250 OK");
            } else if (upper.startsWith("RCPT TO:")) {
                to.add(line.substring(8).replaceAll("[<>]", "").strip());
                reply(out, "250 OK");
            } else if (upper.equals("DATA")) {
                reply(out, "354 go on");
                StringBuilder data = new StringBuilder();
                for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                    data.append(d.startsWith("..") ? d.substring(1) : d).append('\n');
                }
                mails.add(new Mail(from, List.copyOf(to), data.toString()));
                to.clear();
                reply(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 OK");
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
