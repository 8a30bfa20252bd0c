package io.gridsync.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports checked before a server starts, so a busy one is named with the option that changes it. */
final class Ports {

    private Ports() {}

    /** Throws a {@link UserError} naming {@code port} and {@code option} when something already listens there. */
    static void requireFree(String host, int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the servers bind, so a port in TIME_WAIT is not taken for a busy one
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw UserError.cannotRun("port " + port + " on " + host + " is in use (another gridsync?); stop what listens there or pass "
                    + option + " with another port");
        }
    }

    /** A port free right now, for a command that needs to know its port before it starts (the demo). */
    static int free() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw UserError.cannotRun("no free port on this machine: " + e.getMessage());
        }
    }
}
