package com.airtableintegrity.notify;

import com.airtableintegrity.config.ChannelSpec;
import com.airtableintegrity.config.NotifySettings;
import com.airtableintegrity.metrics.NotifyMetrics;
import com.airtableintegrity.store.NoticeOutbox;
import com.airtableintegrity.store.RunStoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the notification routes ({@code routes/notify/}): {@link #claimNext claim} the due notices one at a
 * time, {@link #prepare} each for its channel's route, check a receiver's {@link #answered answer}, and record the
 * outcome ({@link #delivered}, {@link #failed}). Sending is the routes' work (camel-http, camel-mail); this class decides
 * and records. A failure of a receiver or of Firestore here never reaches a run: the poll has its own thread.
 */
public final class NoticeDelivery {
    /** Exchange properties the routes read. */
    public static final String KIND = "notifyKind";
    public static final String MAIL_URI = "notifyMailUri";
    static final String CLAIM = "notifyClaim";
    static final String ANSWER = "notifyAnswer";
    /** Whether the poll's claim loop goes on. */
    public static final String MORE = "notifyMore";
    static final String CLAIMS = "notifyClaims";
    /** New issues shown in a notice. */
    static final int ISSUES_SHOWN = 10;
    private static final Logger LOG = LoggerFactory.getLogger(NoticeDelivery.class);

    private final NoticeOutbox outbox;
    private final NotifySettings settings;
    private final String publicUrl;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private volatile String subjectOption;

    public NoticeDelivery(NoticeOutbox outbox, NotifySettings settings, String publicUrl, NotifyMetrics metrics,
                          Clock clock) {
        this.outbox = outbox;
        this.settings = settings;
        this.publicUrl = publicUrl;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** First step of a poll: refreshes the oldest-pending gauge and lets the claim loop begin. */
    public void startPoll(Exchange exchange) {
        exchange.setProperty(MORE, true);
        exchange.setProperty(CLAIMS, 0);
        try {
            metrics.oldestPending(outbox.oldestPending()
                    .map(since -> Duration.between(since, clock.instant()).toSeconds()).orElse(0L));
        } catch (RunStoreException e) {
            LOG.warn("Notices: the delivery poll could not read Firestore, trying again at the next poll: {}",
                    e.getMessage());
            exchange.setProperty(MORE, false);
        }
    }

    /**
     * Claims the next due notice into the body (null when none is due), one at a time so that each is sent while its
     * claim is fresh, at most {@code integrity.notify.batch-size} a poll.
     */
    public void claimNext(Exchange exchange) {
        NoticeOutbox.Claimed next = null;
        boolean progress = false;
        try {
            NoticeOutbox.Claims claims = outbox.claimDue(1);
            claims.suppressed().forEach(s -> metrics.notice(s.channel(), "suppressed"));
            next = claims.claimed().isEmpty() ? null : claims.claimed().get(0);
            progress = next != null || !claims.suppressed().isEmpty(); // a held-back notice: look for the next one
        } catch (RunStoreException e) {
            LOG.warn("Notices: claiming a notice failed, trying again at the next poll: {}", e.getMessage());
        }
        int claims = exchange.getProperty(CLAIMS, 0, Integer.class) + 1;
        exchange.setProperty(CLAIMS, claims);
        exchange.setProperty(MORE, progress && claims < settings.getBatchSize());
        exchange.getMessage().setBody(next);
    }

    /** Makes the message its channel's route sends, from the claimed notice in the body. */
    public void prepare(Exchange exchange) {
        NoticeOutbox.Claimed claim = exchange.getMessage().getBody(NoticeOutbox.Claimed.class);
        exchange.setProperty(CLAIM, claim);
        exchange.removeProperty(ANSWER); // the loop's exchange carries the previous notice's
        ChannelSpec channel = settings.getChannels().get(claim.channel());
        if (channel == null) {
            throw new UnknownChannelException(claim.channel());
        }
        exchange.setProperty(KIND, channel.getKind());
        List<Map<String, Object>> issues = outbox.newIssues(claim.runId(), ISSUES_SHOWN);
        NoticeView view = NoticeView.of(claim, issues, publicUrl);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        switch (channel.getKind()) {
            case ChannelSpec.WEBHOOK -> {
                String body = WebhookBody.of(view);
                m.setBody(body);
                m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
                m.setHeader(WebhookBody.SIGNATURE_HEADER,
                        WebhookBody.signature(channel.getSecret(), clock.instant().getEpochSecond(), body));
                m.setHeader("Integrity-Event", claim.event());
                m.setHeader("Idempotency-Key", claim.key());
                m.setHeader(Exchange.HTTP_URI, channel.getUrl());
            }
            case ChannelSpec.SLACK -> {
                m.setBody(SlackBody.of(view));
                m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
                m.setHeader(Exchange.HTTP_URI, channel.getUrl());
            }
            case ChannelSpec.EMAIL -> {
                m.setBody(MailBody.html(view));
                m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
                m.setHeader("CamelMailAlternativeBody", MailBody.text(view));
                m.setHeader("Subject", MailBody.subject(view));
                m.setHeader("X-Integrity-Notice-Id", claim.key());
                // sender and recipients from the configuration, on the endpoint (camel-mail reads neither from
                // headers unless told to): one endpoint per channel; only the subject comes from a header
                exchange.setProperty(MAIL_URI, "smtp://" + channel.getSmtpHost() + ":" + channel.getSmtpPort()
                        + "?session=#" + Notifier.mailSessionBean(claim.channel()) + "&from=RAW("
                        + channel.getFrom() + ")&to=RAW(" + String.join(",", channel.getTo()) + ")"
                        + subjectFromHeader(exchange.getContext()));
            }
            default -> throw new UnknownChannelException(claim.channel());
        }
    }

    /**
     * The option that makes camel-mail take the subject from the {@code Subject} header: Camel 4.22 needs
     * {@code useHeaderSubject=true}; Camel 4.16 (the Quarkus runtime's Camel Quarkus 3.30) always takes it from the
     * header and has no such option (an endpoint refuses unknown options). Asked of the component's own configurer.
     */
    private String subjectFromHeader(CamelContext camel) {
        String option = subjectOption;
        if (option == null) {
            boolean known = camel.getComponent("smtp").getEndpointPropertyConfigurer() instanceof
                    PropertyConfigurerGetter options && options.getOptionType("useHeaderSubject", true) != null;
            option = known ? "&useHeaderSubject=true" : "";
            subjectOption = option;
        }
        return option;
    }

    /** After an HTTP channel's call: a 2xx answer is a delivery; any other is a failed attempt. */
    public void answered(Exchange exchange) {
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (code != null && code >= 200 && code < 300) {
            exchange.setProperty(ANSWER, "HTTP " + code);
            return;
        }
        String body = exchange.getMessage().getBody(String.class);
        throw new ReceiverRefusedException(code == null ? -1 : code, body);
    }

    /** Records the delivery of the notice just sent. */
    public void delivered(Exchange exchange) {
        NoticeOutbox.Claimed claim = exchange.getProperty(CLAIM, NoticeOutbox.Claimed.class);
        String answer = exchange.getProperty(ANSWER, "accepted", String.class);
        try {
            boolean duplicate = outbox.delivered(claim, answer);
            metrics.notice(claim.channel(), duplicate ? "duplicate" : "delivered");
            LOG.info("Notice {} delivered to channel {} (attempt {}, {})", claim.key(), claim.channel(),
                    claim.attempt(), answer);
        } catch (RunStoreException e) {
            metrics.notice(claim.channel(), "delivered");
            LOG.warn("Notice {} was delivered to channel {} but recording it failed; it will be sent again when its "
                    + "claim ends (the receiver drops the duplicate by its id): {}", claim.key(), claim.channel(),
                    e.getMessage());
        }
    }

    /** Records a failed attempt: due again after its back-off, or given up past {@code retry-for}. */
    public void failed(Exchange exchange) {
        NoticeOutbox.Claimed claim = exchange.getProperty(CLAIM, NoticeOutbox.Claimed.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (claim == null) {
            LOG.warn("Notices: a notice could not be prepared: {}", cause == null ? "unknown" : cause.toString());
            return;
        }
        String error = Redaction.redact(describe(cause), claim.channel(),
                settings.getChannels().get(claim.channel()));
        Duration retryFor = cause instanceof UnknownChannelException ? Duration.ZERO : settings.getRetryFor();
        try {
            NoticeOutbox.Failure outcome = outbox.failed(claim, error, backoff(claim.attempt()), retryFor);
            switch (outcome) {
                case RETRY -> {
                    metrics.notice(claim.channel(), "retry");
                    LOG.warn("Notice {} to channel {} failed (attempt {}), trying again in {} s: {}", claim.key(),
                            claim.channel(), claim.attempt(), backoff(claim.attempt()).toSeconds(), error);
                }
                case GAVE_UP -> {
                    metrics.notice(claim.channel(), "given_up");
                    LOG.error("Notice {} to channel {} given up after {} attempts: {}", claim.key(), claim.channel(),
                            claim.attempt(), error);
                }
                default -> LOG.info("Notice {} to channel {}: attempt {} failed, but another attempt settles it: {}",
                        claim.key(), claim.channel(), claim.attempt(), error);
            }
        } catch (RunStoreException e) {
            LOG.warn("Notice {} to channel {} failed (attempt {}: {}), and recording it failed too; it is due again "
                    + "when its claim ends: {}", claim.key(), claim.channel(), claim.attempt(), error, e.getMessage());
        }
    }

    /** The wait after attempt {@code attempt} failed: the initial back-off, doubling, at most the maximum. */
    Duration backoff(long attempt) {
        long seconds = settings.getBackoffInitialSeconds();
        for (long i = 1; i < attempt && seconds < settings.getBackoffMaxSeconds(); i++) {
            seconds *= 2;
        }
        return Duration.ofSeconds(Math.min(seconds, settings.getBackoffMaxSeconds()));
    }

    private static String describe(Exception e) {
        if (e == null) {
            return "unknown failure";
        }
        if (e instanceof ReceiverRefusedException || e instanceof UnknownChannelException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }
}
