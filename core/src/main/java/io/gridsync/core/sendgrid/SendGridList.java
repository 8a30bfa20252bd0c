package io.gridsync.core.sendgrid;

/** A marketing list as SendGrid reports it. */
public record SendGridList(String id, String name, long contactCount) {}
