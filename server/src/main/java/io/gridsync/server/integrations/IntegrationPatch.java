package io.gridsync.server.integrations;

import io.gridsync.core.sendgrid.ApiKey;

import java.util.Optional;

/**
 * A partial update: a null component keeps the stored value; {@code defaultListId} can also be
 * cleared with {@code Optional.empty()}. The email preset is not here: after install it lives in
 * the stored send_email subscription, which is edited as a subscription.
 *
 * @param apiKey a new key rotates it (sealed again, with a fresh nonce)
 */
public record IntegrationPatch(String name, ApiKey apiKey, String endpoint, Optional<String> defaultListId,
                               String consentCategory, Boolean createMissingFields, Boolean enabled) {

    public boolean isEmpty() {
        return name == null && apiKey == null && endpoint == null && defaultListId == null && consentCategory == null
                && createMissingFields == null && enabled == null;
    }
}
