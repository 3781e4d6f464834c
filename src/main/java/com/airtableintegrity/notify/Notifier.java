package com.airtableintegrity.notify;

import com.airtableintegrity.config.ChannelSpec;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.NotifySettings;
import com.airtableintegrity.metrics.NotifyMetrics;
import com.airtableintegrity.store.NoticeOutbox;
import com.airtableintegrity.store.RunCollection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.camel.spi.Registry;

/**
 * The notification objects of one runner, made from the validated settings: the outbox, the routes' step bean
 * ({@link NoticeDelivery}, bound as {@value #DELIVERY_BEAN}), the HTTP channels' bound ({@link ReceiverGuard}, bound as
 * {@value #GUARD_BEAN}) and one JavaMail session per email channel ({@link #mailSessionBean}). Closing it stops its
 * deadline timer.
 */
public final class Notifier implements AutoCloseable {
    public static final String DELIVERY_BEAN = "noticeDelivery";
    public static final String GUARD_BEAN = "notifyReceiverGuard";

    private final NotifySettings settings;
    private final ReceiverGuard guard;
    private final NoticeDelivery delivery;
    /** Cuts off calls at their wall-clock bound: the HTTP channels' and the SMTP sessions' sockets. */
    private final ScheduledThreadPoolExecutor timer;

    public Notifier(IntegrityProperties props, RunCollection runs, String runnerId, MeterRegistry meters) {
        this.settings = props.getNotify();
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = Executors.defaultThreadFactory().newThread(runnable);
            t.setName("notify-call-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        Duration send = Duration.ofSeconds(settings.getSendTimeoutSeconds());
        this.guard = new ReceiverGuard(send, settings.getMaxAnswerBytes(), timer);
        // a claim outlasts the send it covers, and the Firestore calls that record its outcome
        Duration lease = send.plus(runs.callTimeout().multipliedBy(3));
        NoticeOutbox outbox = new NoticeOutbox(runs, runnerId, lease,
                Duration.ofSeconds(settings.getRateLimitSeconds()));
        this.delivery = new NoticeDelivery(outbox, settings, props.getConsole().getPublicUrl(),
                new NotifyMetrics(meters, settings.getChannels().keySet()), Clock.systemUTC());
    }

    /** The registry name of the JavaMail session of email channel {@code channel}. */
    public static String mailSessionBean(String channel) {
        return "notifyMailSession-" + channel;
    }

    public NoticeDelivery delivery() { return delivery; }
    public ReceiverGuard guard() { return guard; }

    /** Binds the email channels' sessions into Camel's registry (the endpoints name them). */
    public void bindMailSessions(Registry registry) {
        for (Map.Entry<String, ChannelSpec> e : settings.getChannels().entrySet()) {
            if (ChannelSpec.EMAIL.equals(e.getValue().getKind())) {
                registry.bind(mailSessionBean(e.getKey()), MailSessions.session(e.getValue(),
                        Duration.ofSeconds(settings.getConnectTimeoutSeconds()),
                        Duration.ofSeconds(settings.getReadTimeoutSeconds()),
                        Duration.ofSeconds(settings.getSendTimeoutSeconds()), timer));
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
