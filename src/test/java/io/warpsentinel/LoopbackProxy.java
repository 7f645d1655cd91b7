package io.warpsentinel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server (the tests' PostgreSQL), that a test can cut as a
 * lost network does: nothing passes any more, yet no connection is refused or closed, so a client
 * waits for its own timeouts. Restored, it closes what was cut off and relays new connections again.
 */
final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Socket> cutOff = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    LoopbackProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "loopback-proxy");
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes, in either direction, on any connection old or new. */
    void cut() {
        cut = true;
        cutOff.addAll(open);
        open.clear();
    }

    /** The connections that were cut off are closed; new ones are relayed again. */
    void restore() {
        cut = false;
        cutOff.forEach(LoopbackProxy::closeQuietly);
        cutOff.clear();
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(LoopbackProxy::closeQuietly);
        cutOff.forEach(LoopbackProxy::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    // accepted and never answered, as by a host that went silent
                    cutOff.add(client);
                    continue;
                }
                Socket target = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(target);
                relay(client, target);
                relay(target, client);
            } catch (IOException closed) {
                // the proxy closed, or the target refused this one connection
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    if (cutOff.contains(from)) {
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side closed; leaving closes both
            } finally {
                open.remove(from);
                open.remove(to);
            }
        }, "loopback-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all that is left to do
        }
    }
}
