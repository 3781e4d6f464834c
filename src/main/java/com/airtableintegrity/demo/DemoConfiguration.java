package com.airtableintegrity.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

import com.airtableintegrity.run.ManualRuns;

/**
 * The demo profile's beans, beside the sample base and the emulator that {@link DemoProfileListener} hands over: the
 * fault switch's REST bean (route file {@code routes-demo/demo-fault.camel.yaml}), and once the runner is ready, one
 * message saying where to look and a first run, so nobody waits for the minute's schedule. That run is an ordinary
 * manual run ({@code POST /api/runs} makes the same request); nothing in the runner knows it is a demo.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DemoProfileListener.PROFILE)
public class DemoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DemoConfiguration.class);

    @Bean
    DemoFaults demoFaults(SampleBaseServer demoSampleBase) {
        return demoSampleBase.faults();
    }

    @Bean
    DemoFaultApi demoFaultApi(DemoFaults faults) {
        return new DemoFaultApi(faults);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> demoWelcome(Environment environment, SampleBaseServer demoSampleBase,
                                                           DemoFaults faults, ManualRuns manualRuns,
                                                           ObjectProvider<DemoEmulator> emulator,
                                                           DemoNoticeReceiver demoNoticeReceiver) {
        return ready -> {
            String console = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
            String firestore = emulator.getIfAvailable() != null
                    ? emulator.getObject().hostPort() + " (the emulator the demo started; it stops with the runner)"
                    : environment.getProperty("integrity.firestore.emulator-host") + " (FIRESTORE_EMULATOR_HOST)";
            String key = environment.getProperty("integrity.demo.api-key", "");
            LOG.info("""

                    ==== Demo ready: a sample Airtable base, scanned every minute, runs kept in the Firestore emulator
                      Console      {}/   logins {}
                      API          curl -H 'Authorization: Bearer {}' {}/api/runs
                      Firestore    emulator at {}
                      Sample base  {}/v0/{}/Customers (also Orders, Products)
                      Notices      {}/ (the signed webhook notices of every run, as a receiver got them)
                      Fault        {} now; switch: curl -X POST -H 'Authorization: Bearer {}' \
                    -H 'Content-Type: application/json' -d '{"fault":"503:Orders"}' {}/api/demo/fault
                      First run    {}""", console, environment.getProperty("integrity.demo.logins", ""), key, console,
                    firestore, demoSampleBase.url(), SampleBase.BASE_ID, demoNoticeReceiver.url(), faults.current(),
                    key, console,
                    manualRuns.request().message());
        };
    }
}
