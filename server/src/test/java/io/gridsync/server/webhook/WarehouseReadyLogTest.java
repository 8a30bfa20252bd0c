package io.gridsync.server.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gridsync.server.health.Health;
import io.gridsync.server.health.Supervisor;
import io.gridsync.server.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first start says in one INFO line what the warehouse made for a source (each table at DEBUG),
 * and a start that finds everything there says nothing of it.
 */
class WarehouseReadyLogTest {

    @TempDir
    Path dir;

    @Test
    void aFirstStartSaysOnceHowManyTablesItCreatedAndTheNextSaysNothing() {
        List<ILoggingEvent> first = preparing();
        List<String> info = atInfo(first);
        assertThat(info).hasSize(1);
        assertThat(info.get(0)).startsWith("warehouse ready: " + (EventTables.all().size() + 1) + " tables created for source sendgrid")
                .contains(dir.resolve("warehouse").toString());
        assertThat(first).filteredOn(e -> e.getLevel() == Level.DEBUG && e.getFormattedMessage().contains("created table sendgrid."))
                .hasSize(EventTables.all().size() + 1);

        assertThat(atInfo(preparing())).as("a start that finds the tables").isEmpty();
    }

    /** A capture writer preparing the default source's schema, as at start; what the hub's loggers said meanwhile. */
    private List<ILoggingEvent> preparing() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.gridsync.server");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        Supervisor supervisor = new Supervisor(new Health());
        try (Warehouse warehouse = Warehouse.sqlite(dir.resolve("warehouse"));
             CaptureWriter writer = new CaptureWriter(warehouse, 10, supervisor)) {
            writer.prepare(WebhookSources.DEFAULT);
        } finally {
            supervisor.close();
            logger.setLevel(level);
            logger.detachAppender(appender);
        }
        return List.copyOf(appender.list);
    }

    private static List<String> atInfo(List<ILoggingEvent> events) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .filter(e -> e.getLoggerName().endsWith(".Warehouse") || e.getLoggerName().endsWith(".CaptureWriter"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
