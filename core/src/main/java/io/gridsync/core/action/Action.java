package io.gridsync.core.action;

import java.util.List;

/**
 * A destination action, declared like Segment's action definitions: its fields with their default
 * mappings, and {@code perform(batch)} that turns a batch of inputs into the fewest correct
 * SendGrid calls and returns exactly one {@link Outcome} per input, in input order.
 */
public interface Action {

    /** Stable key used in integration files, e.g. {@code upsert_contact}. */
    String key();

    /** Title as Segment shows it, e.g. "Upsert Contact". */
    String title();

    List<ActionField> fields();

    List<Outcome> perform(List<ActionInput> batch, ActionContext ctx);
}
