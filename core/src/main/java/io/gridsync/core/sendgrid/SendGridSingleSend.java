package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A Single Send ({@code /v3/marketing/singlesends}) with every field SendGrid answers. A listing
 * gives the short form ({@code abtest}, {@code is_abtest}, no {@code send_to}, {@code email_config}
 * or {@code warnings}: those are null); {@link SendGridApi#singleSend} gives the full one. Times are
 * SendGrid's ISO 8601 text, as sent.
 *
 * @param abtest   the A/B test summary object, or null
 * @param warnings SendGrid's warnings about the Single Send (a JSON array), or null
 */
public record SendGridSingleSend(String id, String name, String status, List<String> categories, String sendAt,
                                 List<String> sendToListIds, List<String> sendToSegmentIds, Boolean sendToAll,
                                 Boolean isAbtest, JsonNode abtest, SingleSendEmailConfig emailConfig, JsonNode warnings,
                                 String createdAt, String updatedAt) {}
