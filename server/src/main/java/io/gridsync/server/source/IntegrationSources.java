package io.gridsync.server.source;

import io.gridsync.core.sendgrid.ApiKey;
import io.gridsync.server.integrations.IntegrationStore;
import io.gridsync.server.integrations.StoredIntegration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's sources: one per integration, named as the integration, with its endpoint and API key
 * (unsealed only when a run needs it), and the admin API's settings over the defaults.
 */
public final class IntegrationSources implements SourceDirectory {

    private final IntegrationStore integrations;
    private final SourceSettingsStore settings;
    private final Duration defaultInterval;

    public IntegrationSources(IntegrationStore integrations, SourceSettingsStore settings, Duration defaultInterval) {
        this.integrations = integrations;
        this.settings = settings;
        this.defaultInterval = defaultInterval;
    }

    @Override
    public List<Source> all() {
        Map<String, SourceSettings> all = settings.all();
        List<Source> out = new ArrayList<>();
        for (StoredIntegration i : integrations.list()) {
            out.add(source(i, all.getOrDefault(i.name(), SourceSettings.none(i.name()))));
        }
        return out;
    }

    /** By name, or by integration id. */
    @Override
    public Optional<Source> find(String name) {
        Optional<StoredIntegration> i = integrations.findByName(name).or(() -> integrations.get(name));
        return i.map(it -> source(it, settings.get(it.name())));
    }

    @Override
    public void setApiKey(Source source, String apiKey) {
        StoredIntegration i = integrations.findByName(source.name()).orElseThrow();
        integrations.update(i.id(), new io.gridsync.server.integrations.IntegrationPatch(null, new ApiKey(apiKey), null, null, null,
                null, null));
    }

    private Source source(StoredIntegration i, SourceSettings s) {
        return new Source(i.name(), s.schema() != null ? s.schema() : SourceSettings.defaultSchema(i.name()), i.endpoint(),
                unseal(i), s.interval() != null ? s.interval() : defaultInterval,
                s.enabled() == null || s.enabled(), "the API key of integration '" + i.name() + "': PATCH /v1/admin/integrations/"
                + i.id() + " {\"api_key\": \"SG...\"}", s.collectionsOff());
    }

    /** The key, or null when it cannot be unsealed (another master key): the run that needs it says so. */
    private ApiKey unseal(StoredIntegration i) {
        try {
            return integrations.apiKey(i.id());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
