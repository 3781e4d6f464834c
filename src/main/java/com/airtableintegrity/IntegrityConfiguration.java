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
import com.airtableintegrity.store.RunStore;
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

    @Bean
    RunStore runStore(Firestore firestore, IntegrityProperties props) {
        return IntegrityBeans.runStore(firestore, props.getFirestore());
    }

    @Bean(destroyMethod = "close")
    IntegrityBeans integrityBeans(IntegrityProperties props, RunStore runStore) {
        return new IntegrityBeans(props, runStore);
    }

    /** Health {@code firestore}, in the readiness group (application.yaml). */
    @Bean
    FirestoreHealthIndicator firestoreHealthIndicator(RunStore runStore) {
        return new FirestoreHealthIndicator(runStore);
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
