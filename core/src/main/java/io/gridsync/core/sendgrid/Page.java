package io.gridsync.core.sendgrid;

import java.util.List;

/** One page of a paged SendGrid collection; {@code next} is the absolute URL of the next page or null. */
public record Page<T>(List<T> items, String next) {}
