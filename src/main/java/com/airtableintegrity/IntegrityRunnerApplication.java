package com.airtableintegrity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.airtableintegrity.boot.ShutdownSignals;
import com.airtableintegrity.boot.security.HashCommands;

@SpringBootApplication
public class IntegrityRunnerApplication {
    public static void main(String[] args) throws java.io.IOException {
        if (HashCommands.handles(args)) {
            System.exit(HashCommands.run(args, System.out));
        }
        ShutdownSignals signals = new ShutdownSignals().install();
        SpringApplication app = new SpringApplication(IntegrityRunnerApplication.class);
        app.addListeners(signals);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("integrityShutdownSignals", signals));
        app.run(args);
    }
}
