package com.airtableintegrity.boot.console;

import java.time.Clock;
import java.util.Set;

import jakarta.servlet.SessionTrackingMode;

import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.ScheduleCatalog;

/**
 * The operator console's wiring: its pages ({@link ConsolePages}) and forms ({@link ConsoleActions}) are Spring MVC
 * controllers over the objects behind the REST API ({@code runsApi}, {@code schedulesApi}); {@link ConsoleModel}
 * reads what the pages show beside the runs (schedules, the last sweep). The session (which carries the flash
 * message of a form's redirect, and later the login) is tracked by cookie only, never by {@code ;jsessionid=} in URLs.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    @Bean
    ConsoleModel consoleModel(ScheduleCatalog schedules, HungRunSweeper sweeper, IntegrityProperties settings) {
        return new ConsoleModel(schedules, sweeper, settings.getSweep().getCron(), Clock.systemUTC());
    }

    @Bean
    ServletContextInitializer sessionsByCookieOnly() {
        return servletContext -> servletContext.setSessionTrackingModes(Set.of(SessionTrackingMode.COOKIE));
    }
}
