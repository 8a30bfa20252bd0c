package io.gridsync.server.erasure;

import java.util.List;
import java.util.Map;

/** The erasure on SQLite (state and warehouse files in the data directory): every byte of every file is searched. */
class ErasureSqliteTest extends ErasureContract {

    @Override
    Map<String, String> environment() {
        return Map.of();
    }

    @Override
    List<String> rowsMentioning(String needle) {
        return List.of(); // everything is in files of the data directory, searched byte by byte
    }
}
