package com.airtableintegrity.main;

import java.util.Properties;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.airtableintegrity.config.IntegrityProperties;

/**
 * Wiring for plain Camel Main (what {@code camel run} uses): reads the {@code integrity.*} keys from Camel's
 * properties (application.properties, flat form, e.g. {@code integrity.tables[0].rules[1].type=unique}), binds them
 * with the same rules as Spring Boot, and puts the route beans into the registry.
 * Use with {@code main.configure().addConfiguration(IntegrityMainConfiguration.class)}.
 */
public class IntegrityMainConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = (PropertiesComponent) context.getPropertiesComponent();
        Properties all = new Properties();
        for (Properties source : new Properties[] {pc.loadProperties(key -> key.startsWith("integrity.")),
                pc.getInitialProperties(), pc.getOverrideProperties()}) {
            if (source != null) {
                source.stringPropertyNames().stream().filter(k -> k.startsWith("integrity."))
                        .forEach(k -> all.setProperty(k, source.getProperty(k)));
            }
        }
        // the packaged application.yaml's defaults, then Camel's properties over them, with Spring Boot's rules
        IntegrityProperties props = new Binder(new MapConfigurationPropertySource(all))
                .bind("integrity", Bindable.ofInstance(IntegrityProperties.defaults())).get();
        RunnerAssembly.wire(context, props);
    }
}
