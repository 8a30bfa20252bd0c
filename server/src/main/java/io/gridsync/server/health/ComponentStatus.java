package io.gridsync.server.health;

/**
 * One component's state for {@code /healthz}.
 *
 * @param state  ok; failing (its work fails, e.g. the journal on a full disk); restarting (a worker
 *               died of an unexpected exception and waits to start again); stalled (no progress for
 *               longer than it may take); stopped (closed, or gave up)
 * @param detail why, in one line; null when ok
 * @param since  when it entered this state (epoch ms); 0 when ok
 */
public record ComponentStatus(String state, String detail, long since) {

    public static final ComponentStatus OK = new ComponentStatus("ok", null, 0);

    public boolean ok() {
        return state.equals("ok");
    }

    public static ComponentStatus of(String state, String detail, long since) {
        return new ComponentStatus(state, detail, since);
    }
}
