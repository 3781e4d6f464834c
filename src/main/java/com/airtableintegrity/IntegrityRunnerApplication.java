package com.airtableintegrity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class IntegrityRunnerApplication {
    public static void main(String[] args) {
        SpringApplication.run(IntegrityRunnerApplication.class, args);
    }
}
