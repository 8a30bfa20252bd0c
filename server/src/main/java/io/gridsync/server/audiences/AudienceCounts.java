package io.gridsync.server.audiences;

/**
 * Member counts of an audience: who should be in the list, who is (as far as gridsync knows),
 * how many changes of the audience API wait to be applied, and how many members failed.
 */
public record AudienceCounts(long desired, long inSendGrid, long pending, long failed) {}
