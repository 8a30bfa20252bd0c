package io.gridsync.emulator.mail;

/** Told about every message Mail Send accepts (never sandbox sends); the Event Webhook listens here. */
@FunctionalInterface
public interface AcceptedMailListener {

    void accepted(SentMessage message);
}
