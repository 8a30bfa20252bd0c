package io.gridsync.emulator;

import io.gridsync.emulator.account.AccountApi;
import io.gridsync.emulator.contacts.ContactsApi;
import io.gridsync.emulator.fields.FieldStore;
import io.gridsync.emulator.fields.FieldsApi;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Errors;
import io.gridsync.emulator.http.FaultInjector;
import io.gridsync.emulator.http.RateLimiter;
import io.gridsync.emulator.http.RequestStats;
import io.gridsync.emulator.inspect.InspectionApi;
import io.gridsync.emulator.lists.ListMembers;
import io.gridsync.emulator.lists.ListStore;
import io.gridsync.emulator.lists.ListsApi;
import io.gridsync.emulator.segments.SegmentStore;
import io.gridsync.emulator.segments.SegmentsApi;
import io.gridsync.emulator.singlesends.SingleSendStore;
import io.gridsync.emulator.singlesends.SingleSendsApi;
import io.gridsync.emulator.senders.SenderStore;
import io.gridsync.emulator.senders.SendersApi;
import io.gridsync.emulator.state.EmulatorState;
import io.gridsync.emulator.stats.DeliveryStats;
import io.gridsync.emulator.stats.StatsApi;
import io.gridsync.emulator.suppressions.SuppressionEvents;
import io.gridsync.emulator.suppressions.SuppressionStore;
import io.gridsync.emulator.suppressions.SuppressionsApi;
import io.gridsync.emulator.suppressions.UnsubscribeGroupsApi;
import io.gridsync.emulator.templates.TemplateStore;
import io.gridsync.emulator.templates.TemplatesApi;
import io.gridsync.emulator.mail.MailApi;
import io.gridsync.emulator.mail.MailLogApi;
import io.gridsync.emulator.mail.SentMailLog;
import io.gridsync.emulator.webhook.EventDispatcher;
import io.gridsync.emulator.webhook.EventGenerator;
import io.gridsync.emulator.webhook.EventWebhookApi;
import io.gridsync.emulator.webhook.WebhookInspectionApi;
import io.gridsync.emulator.webhook.WebhookStore;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The SendGrid emulator: an HTTP server on loopback speaking the v3 endpoints gridsync uses.
 * {@code Emulator.start(config)} returns a running emulator; {@link #close()} stops it and, when
 * a state file is configured, saves the account to it.
 */
public final class Emulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Emulator.class);
    /** Mail send accepts up to 30 MB; Javalin refuses bodies above this with a SendGrid-shaped 413. */
    static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    private final EmulatorConfig config;
    private final Javalin app;
    private final EmulatorState state = new EmulatorState();
    private final RequestStats stats = new RequestStats();
    private final RateLimiter limiter;
    private final FaultInjector faults;
    private final ApiKeys keys = new ApiKeys();
    private final ListStore lists = new ListStore();
    private final FieldStore fields = new FieldStore();
    private final SegmentStore segments = new SegmentStore();
    private final SingleSendStore singleSends = new SingleSendStore();
    private final TemplateStore templates = new TemplateStore();
    private final SuppressionStore suppressions = new SuppressionStore();
    private final DeliveryStats deliveryStats = new DeliveryStats();
    private final SenderStore senders = new SenderStore();
    private final SentMailLog sentMail = new SentMailLog(SentMailLog.DEFAULT_CAPACITY);
    private final WebhookStore webhooks;
    private final EventDispatcher dispatcher;
    private final MailApi mailApi;
    private final ContactsApi contacts;

    private Emulator(EmulatorConfig config) {
        this.config = config;
        config.apiKeys.forEach(keys::add);
        this.limiter = new RateLimiter(config.defaultRateLimit);
        // SendGrid's documented limit of the erase job (tsg_recipients_data_erasure_v3.json), unless configured
        limiter.setLimit(io.gridsync.emulator.erasure.RecipientErasureApi.RATE_FAMILY, io.gridsync.emulator.erasure.RecipientErasureApi.RATE_LIMIT);
        config.rateLimits.forEach(limiter::setLimit);
        this.faults = new FaultInjector(config.faultSeed, config.faultTimeoutDelayMillis);
        config.faults.forEach(faults::set);

        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
            cfg.useVirtualThreads = false;
        });
        Errors.install(app);
        ApiRouter router = new ApiRouter(app, keys, limiter, faults, stats);
        new AccountApi().register(router);

        // contacts hold the list memberships: the lists and segments count through them
        this.contacts = new ContactsApi(config, lists, fields);
        ListMembers listMembers = contacts.store();
        state.register(lists);
        state.register(fields);
        state.register(segments);
        state.register(singleSends);
        state.register(templates);
        state.register(suppressions);
        state.register(deliveryStats);
        state.register(senders);
        contacts.stateParts().forEach(state::register);
        contacts.register(router, app);
        new ListsApi(lists, listMembers).register(router);
        new FieldsApi(fields).register(router);
        SegmentsApi segmentsApi = new SegmentsApi(segments, lists, listMembers);
        segmentsApi.register(router);
        contacts.segmentsByList(segmentsApi::segmentsByList);
        new SingleSendsApi(singleSends).register(router);
        new TemplatesApi(templates).register(router);
        new SuppressionsApi(suppressions).register(router);
        new UnsubscribeGroupsApi(suppressions).register(router);
        new StatsApi(deliveryStats, () -> singleSends.all().stream().map(s -> s.id()).toList()).register(router);
        new SendersApi(senders).register(router);
        new InspectionApi(stats, faults, limiter, state).register(app);

        // Mail Send keeps every accepted message and hands it to the Event Webhook
        this.webhooks = new WebhookStore(config.webhookUrl);
        this.dispatcher = new EventDispatcher(webhooks, new EventDispatcher.Timing(config.webhookFlushMillis,
                config.webhookBatchMaxEvents, config.webhookRetryInitialMillis, config.webhookRetryMaxMillis,
                config.webhookRetryGiveUpMillis));
        EventGenerator events = new EventGenerator(config.eventClock);
        state.register(sentMail);
        state.register(webhooks);
        SuppressionEvents suppressed = new SuppressionEvents(suppressions);
        // what happens to each message shows in the suppressions and the stats as in the webhook's events
        this.mailApi = new MailApi(sentMail, message -> {
            var generated = events.eventsFor(message);
            suppressed.record(generated);
            deliveryStats.record(generated);
            dispatcher.publish(generated);
        });
        mailApi.templateExists(templates::exists);
        mailApi.register(router);
        new MailLogApi(sentMail).register(app);
        new io.gridsync.emulator.erasure.RecipientErasureApi(contacts.store(), sentMail).register(router);
        new EventWebhookApi(webhooks, dispatcher, events).register(router);
        new WebhookInspectionApi(dispatcher, webhooks).register(app);
    }

    public static Emulator start(EmulatorConfig config) {
        Emulator emulator = new Emulator(config);
        try {
            if (config.stateFile != null && Files.exists(config.stateFile)) {
                try {
                    emulator.state.load(config.stateFile);
                    log.info("emulator state loaded from {}", config.stateFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not load emulator state from " + config.stateFile, e);
                }
            }
            emulator.app.start(config.host, config.port);
        } catch (RuntimeException e) {
            emulator.dispatcher.close(); // its threads would outlive an emulator that never started
            throw e;
        }
        return emulator;
    }

    public int port() {
        return app.port();
    }

    /** e.g. {@code http://127.0.0.1:3030}; clients add {@code /v3/...}. */
    public String baseUrl() {
        return "http://" + config.host + ":" + port();
    }

    public EmulatorConfig config() {
        return config;
    }

    public RequestStats stats() {
        return stats;
    }

    public FaultInjector faults() {
        return faults;
    }

    public RateLimiter rateLimiter() {
        return limiter;
    }

    public EmulatorState state() {
        return state;
    }

    /** Every message Mail Send accepted (most recent first). */
    public SentMailLog sentMail() {
        return sentMail;
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    /** Lets Mail Send refuse template ids the account does not have (wired to the templates store). */
    public MailApi mailApi() {
        return mailApi;
    }

    /** The account's lists, custom fields and contacts, for tests and the other endpoint families. */
    public ListStore lists() {
        return lists;
    }

    public FieldStore fields() {
        return fields;
    }

    public ContactsApi contacts() {
        return contacts;
    }

    @Override
    public void close() {
        app.stop();
        dispatcher.close();
        contacts.close();
        if (config.stateFile != null) {
            try {
                state.save(config.stateFile);
                log.info("emulator state saved to {}", config.stateFile);
            } catch (IOException e) {
                log.error("could not save emulator state to {}: {}", config.stateFile, e.toString());
            }
        }
    }
}
