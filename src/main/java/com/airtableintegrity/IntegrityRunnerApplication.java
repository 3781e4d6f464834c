package com.airtableintegrity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.airtableintegrity.boot.ShutdownSignals;

@SpringBootApplication
public class IntegrityRunnerApplication {
    public static void main(String[] args) {
        ShutdownSignals signals = new ShutdownSignals().install();
        SpringApplication app = new SpringApplication(IntegrityRunnerApplication.class);
        app.addListeners(signals);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("integrityShutdownSignals", signals));
        app.run(args);
    }
}
