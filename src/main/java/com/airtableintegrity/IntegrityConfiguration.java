package com.airtableintegrity;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;

import com.airtableintegrity.boot.FirestoreHealthIndicator;
import com.airtableintegrity.boot.ShutdownSignals;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.IntegrityPropertiesValidator;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.google.cloud.firestore.Firestore;

/** Spring Boot wiring: settings from application.yaml, the Firestore client, and the route beans. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntegrityProperties.class)
public class IntegrityConfiguration {

    @Bean(destroyMethod = "close")
    Firestore firestore(IntegrityProperties props) {
        IntegrityPropertiesValidator.validate(props);
        return IntegrityBeans.connectFirestore(props.getFirestore());
    }

    /** Closed after Camel has stopped (the live runs' final writes use the transaction threads until then). */
    @Bean(destroyMethod = "close")
    RunnerExecutors runnerExecutors() {
        return new RunnerExecutors();
    }

    @Bean
    RunCollection runCollection(Firestore firestore, IntegrityProperties props, RunnerExecutors executors) {
        return IntegrityBeans.runCollection(firestore, props.getFirestore(), executors);
    }

    @Bean(destroyMethod = "close")
    IntegrityBeans integrityBeans(IntegrityProperties props, RunCollection runCollection, RunnerExecutors executors) {
        return new IntegrityBeans(props, runCollection, executors);
    }

    /** Health {@code firestore}, in the readiness group (application.yaml). */
    @Bean
    FirestoreHealthIndicator firestoreHealthIndicator(RunCollection runCollection) {
        return new FirestoreHealthIndicator(new RunReads(runCollection));
    }

    /** The packaged runner's signal handling learns the shutdown timeout (absent in tests: no signals there). */
    @Bean
    InitializingBean integrityShutdownTimeout(IntegrityProperties props, ObjectProvider<ShutdownSignals> signals) {
        return () -> signals.ifAvailable(s -> s.timeout(Duration.ofSeconds(props.getShutdown().getTimeoutSeconds())));
    }

    @Bean
    CamelContextConfiguration integrityRoutesBeans(IntegrityBeans beans) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                try {
                    beans.bindTo(camelContext);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot bind the integrity runner's beans: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }
}
