package io.gridsync.server.source;

import java.util.List;
import java.util.Map;

/** How a run ended, before it is recorded: the final status, rows per collection, the error and missing scopes. */
record RunOutcome(RunStatus status, Map<String, Long> rows, Map<String, Long> deleted, String error, List<String> missingScopes) {

    static RunOutcome failed(RunStatus status, String error, List<String> missingScopes) {
        return new RunOutcome(status, Map.of(), Map.of(), error, missingScopes);
    }
}
