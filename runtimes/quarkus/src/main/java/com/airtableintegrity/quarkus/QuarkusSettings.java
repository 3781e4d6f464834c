package com.airtableintegrity.quarkus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import com.airtableintegrity.config.IntegrityProperties;

/**
 * The {@code integrity.*} settings on Quarkus, from the same keys, environment variables and defaults as on Spring
 * Boot. Quarkus reads the very same {@code application.yaml} (quarkus-config-yaml), whose {@code ${ENV:default}}
 * placeholders SmallRye Config resolves as Spring does; the route files' {@code {{integrity.*}}} placeholders read that
 * configuration. The typed settings are bound from it with Spring Boot's own binder (as Camel Main does, see
 * {@code main/IntegrityMainConfiguration}), over {@link IntegrityProperties#defaults()}, plus Spring's relaxed names of
 * the environment (e.g. {@code INTEGRITY_TABLES_0_NAME}), which come first as on Spring Boot.
 */
final class QuarkusSettings {
    private static final String PREFIX = "integrity.";

    private QuarkusSettings() {
    }

    static IntegrityProperties bind(Config config) {
        Map<String, String> flat = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                // an empty value (e.g. ${AIRTABLE_TOKEN:} unset) is absent for SmallRye: the default stays
                config.getOptionalValue(name, String.class).ifPresent(value -> flat.put(name, value));
            }
        }
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment())).forEach(sources::add);
        sources.add(new MapConfigurationPropertySource(flat));
        return new Binder(sources).bind("integrity", Bindable.ofInstance(IntegrityProperties.defaults())).get();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> environment() {
        return (Map) System.getenv();
    }
}
