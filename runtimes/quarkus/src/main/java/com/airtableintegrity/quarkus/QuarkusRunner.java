package com.airtableintegrity.quarkus;

import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.main.RunnerAssembly;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The runner on Quarkus: before Camel Main loads the route files, the same objects as on Spring Boot and Camel Main are
 * made by the core's factory and bound into Camel's registry under the names the routes use
 * ({@link RunnerAssembly}, which also closes them when the context has stopped). Nothing else is Quarkus-specific but
 * the settings ({@link QuarkusSettings}), the loopback-only HTTP server ({@link LoopbackOnly}) that answers local
 * callers only ({@link LocalCallersOnly}), and the JSON error answers of Quarkus' own router
 * ({@link JsonRouterErrors}).
 */
@ApplicationScoped
public class QuarkusRunner {
    private static final Logger LOG = LoggerFactory.getLogger(QuarkusRunner.class);

    private volatile RunnerAssembly assembly;

    void wire(@Observes BeforeConfigure event) {
        Config config = ConfigProvider.getConfig();
        IntegrityProperties settings = QuarkusSettings.bind(config);
        LoopbackOnly.check(config.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1"),
                config.getOptionalValue("integrity.security.users", String.class).orElse(""),
                config.getOptionalValue("integrity.security.api-keys", String.class).orElse(""));
        CamelContext camel = event.getCamelContext();
        assembly = RunnerAssembly.wire(camel, settings);
        LOG.info("Runner wired into Camel context '{}' (Camel {})", camel.getName(), camel.getVersion());
    }

    /** The runner's objects, once Camel is configured (tests read the store and control through it). */
    public RunnerAssembly assembly() {
        return assembly;
    }
}
