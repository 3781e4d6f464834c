package com.airtableintegrity.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * The demo profile's setup, before any bean exists (registered in {@code META-INF/spring.factories}; it does nothing
 * unless the profile {@code demo} is active). Once the configuration files are read it
 * <ol>
 *   <li>reads {@code DEMO_FAULT} ({@code integrity.demo.fault}), so a bad value stops startup before any process
 *   starts;</li>
 *   <li>starts Google's Firestore emulator on a free port, unless {@code integrity.firestore.emulator-host}
 *   ({@code FIRESTORE_EMULATOR_HOST}) names one already;</li>
 *   <li>serves the sample base on a free port, and a webhook receiver ({@link DemoNoticeReceiver}) that the
 *   configured schedule notifies of every run;</li>
 *   <li>points {@code integrity.firestore.emulator-host} and {@code integrity.airtable.api-url} at them, ahead of
 *   every other source, so the Firestore client and the scan's routes are made for them as for any base.</li>
 * </ol>
 * Then it hands both to the context as beans ({@link DemoConfiguration} uses them), making the {@code firestore}
 * bean depend on the emulator: Spring closes the client before it stops the emulator. A failed start stops them.
 */
public final class DemoProfileListener implements SmartApplicationListener {
    private static final Logger LOG = LoggerFactory.getLogger(DemoProfileListener.class);
    public static final String PROFILE = "demo";
    public static final String EMULATOR_BEAN = "demoFirestoreEmulator";
    public static final String SAMPLE_BASE_BEAN = "demoSampleBase";
    public static final String NOTICE_RECEIVER_BEAN = "demoNoticeReceiver";
    static final String PROPERTY_SOURCE = "demoProfile";

    private DemoEmulator emulator;
    private SampleBaseServer sampleBase;
    private DemoNoticeReceiver notices;

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationPreparedEvent.class.isAssignableFrom(type)
                || ApplicationFailedEvent.class.isAssignableFrom(type);
    }

    /** After Spring Boot has read the configuration files (its own listener runs at HIGHEST_PRECEDENCE + 10). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            if (prepared.getEnvironment().acceptsProfiles(Profiles.of(PROFILE))) {
                setUp(prepared.getEnvironment());
            }
        } else if (event instanceof ApplicationPreparedEvent prepared && sampleBase != null) {
            handOver(prepared);
        } else if (event instanceof ApplicationFailedEvent) {
            stop();
        }
    }

    private void setUp(ConfigurableEnvironment environment) {
        String token = environment.getProperty("integrity.airtable.token", "");
        if (token.isBlank()) {
            throw new DemoSetupException("integrity.airtable.token is empty in the demo profile (application-demo"
                    + ".yaml sets a fixed dummy token)");
        }
        SampleBase sample = SampleBase.generate();
        DemoFaults faults = new DemoFaults(List.copyOf(sample.tables().keySet()));
        try {
            faults.set(faults.parse(environment.getProperty("integrity.demo.fault", "none")));
        } catch (IllegalArgumentException e) {
            throw new DemoSetupException(e.getMessage());
        }
        Map<String, Object> overrides = new HashMap<>();
        String emulatorHost = environment.getProperty("integrity.firestore.emulator-host", "").trim();
        try {
            if (emulatorHost.isEmpty()) {
                Path launcher = new EmulatorLocator(environment::getProperty).launcher();
                emulator = DemoEmulator.start(launcher, grace(environment));
                overrides.put("integrity.firestore.emulator-host", emulator.hostPort());
            } else {
                LOG.info("Demo: using the Firestore emulator at {} (FIRESTORE_EMULATOR_HOST)", emulatorHost);
            }
            sampleBase = SampleBaseServer.start(sample, faults, token);
            notices = DemoNoticeReceiver.start();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        overrides.put("integrity.airtable.api-url", sampleBase.url());
        overrides.put("integrity.airtable.base-id", SampleBase.BASE_ID);
        // a webhook channel to the demo's own receiver, told of every run (and of failures by name)
        String channel = "integrity.notify.channels." + DemoNoticeReceiver.CHANNEL;
        overrides.put(channel + ".kind", "webhook");
        overrides.put(channel + ".url", notices.url() + "/hook");
        overrides.put(channel + ".secret", DemoNoticeReceiver.SECRET);
        overrides.put("integrity.schedule.notify[0].channel", DemoNoticeReceiver.CHANNEL);
        List<String> events = List.of("error", "timeout", "recovered", "every_run");
        for (int i = 0; i < events.size(); i++) {
            overrides.put("integrity.schedule.notify[0].events[" + i + "]", events.get(i));
        }
        String port = environment.getProperty("server.port", "8080");
        if (environment.getProperty("integrity.console.public-url", "").isBlank() && !"0".equals(port)) {
            overrides.put("integrity.console.public-url", "http://127.0.0.1:" + port); // run links in notices
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, overrides));
    }

    private void handOver(ApplicationPreparedEvent event) {
        if (!(event.getApplicationContext() instanceof GenericApplicationContext context)) {
            stop();
            throw new DemoSetupException("The demo profile needs a GenericApplicationContext, not "
                    + event.getApplicationContext().getClass().getName());
        }
        SampleBaseServer served = sampleBase;
        context.registerBean(SAMPLE_BASE_BEAN, SampleBaseServer.class, () -> served);
        DemoNoticeReceiver receiver = notices;
        context.registerBean(NOTICE_RECEIVER_BEAN, DemoNoticeReceiver.class, () -> receiver);
        DemoEmulator started = emulator;
        if (started != null) {
            context.registerBean(EMULATOR_BEAN, DemoEmulator.class, () -> started);
            context.addBeanFactoryPostProcessor(DemoProfileListener::firestoreAfterEmulator);
        }
    }

    /** The Firestore client bean is made after, and closed before, the emulator it talks to. */
    private static void firestoreAfterEmulator(ConfigurableListableBeanFactory beans) {
        if (beans.containsBeanDefinition("firestore")) {
            BeanDefinition firestore = beans.getBeanDefinition("firestore");
            Set<String> dependsOn = new LinkedHashSet<>();
            if (firestore.getDependsOn() != null) {
                dependsOn.addAll(Arrays.asList(firestore.getDependsOn()));
            }
            dependsOn.add(EMULATOR_BEAN);
            firestore.setDependsOn(dependsOn.toArray(String[]::new));
        }
    }

    private void stop() {
        if (sampleBase != null) {
            sampleBase.close();
        }
        if (notices != null) {
            notices.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    /** How long the emulator's shutdown hook leaves the context to close first: the shutdown timeout, less 2 s. */
    private static Duration grace(ConfigurableEnvironment environment) {
        int seconds = environment.getProperty("integrity.shutdown.timeout-seconds", Integer.class, 8);
        return Duration.ofSeconds(Math.max(1, seconds - 2));
    }
}
