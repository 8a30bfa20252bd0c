package io.gridsync.server;

import io.gridsync.server.testing.FileClock;

import java.nio.file.Path;

/**
 * A hub for a child process whose clock the test moves ({@link FileClock}), so a scheduled run
 * falls due without waiting hours: {@code ClockedHub DATA_DIR PORT CLOCK_FILE}, configured by the
 * environment like {@code ./gridsync up}.
 */
public final class ClockedHub {

    private ClockedHub() {}

    public static void main(String[] args) throws InterruptedException {
        HubConfig config = HubConfig.defaults(Path.of(args[0]), Integer.parseInt(args[1])).withEnvironment(System.getenv());
        Hub hub = Hub.start(config, new FileClock(Path.of(args[2])));
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        Thread.currentThread().join();
    }
}
