package io.gridsync.server.router;

import java.util.List;

/** Where the router learns which integrations to deliver to (the integration store). */
public interface Targets {

    List<Target> enabled();
}
