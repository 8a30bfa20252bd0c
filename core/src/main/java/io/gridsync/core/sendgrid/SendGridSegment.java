package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A Segmentation v2 segment ({@code /v3/marketing/segments/2.0}) with every field SendGrid answers.
 * Times are SendGrid's ISO 8601 text, as sent. {@code queryDsl}, {@code contactsSample},
 * {@code refreshesUsed}, {@code maxRefreshes} and {@code lastRefreshedAt} come only with a single
 * segment ({@link SendGridApi#segment}); in a listing they are null.
 *
 * @param queryValidation {@code status.query_validation}
 * @param validationError {@code status.error_message}
 * @param contactsSample  the sample of contacts SendGrid keeps (a JSON array), or null
 */
public record SendGridSegment(String id, String name, String queryDsl, long contactsCount, List<String> parentListIds,
                              String queryVersion, String queryValidation, String validationError, String createdAt,
                              String updatedAt, String sampleUpdatedAt, String nextSampleUpdate, String lastRefreshedAt,
                              Integer refreshesUsed, Integer maxRefreshes, JsonNode contactsSample) {

    public SendGridSegment {
        parentListIds = List.copyOf(parentListIds);
    }
}
