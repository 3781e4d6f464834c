package com.airtableintegrity.notify;

import com.airtableintegrity.config.ChannelSpec;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The JavaMail session of an email channel, handed to camel-mail's endpoint as its {@code session}: the SMTP host
 * and port, every socket bound (connect, each read and write, and the whole send through
 * {@link DeadlineSocketFactory}), STARTTLS as configured with the server's name checked, and the password in an
 * {@link Authenticator} rather than in an endpoint URI, where it could be listed (JMX, route dumps).
 */
final class MailSessions {
    private MailSessions() {
    }

    static Session session(ChannelSpec c, Duration connect, Duration read, Duration send,
                           ScheduledExecutorService timer) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", c.getSmtpHost());
        p.put("mail.smtp.port", String.valueOf(c.getSmtpPort()));
        p.put("mail.smtp.connectiontimeout", String.valueOf(connect.toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(read.toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(read.toMillis()));
        p.put("mail.smtp.socketFactory", new DeadlineSocketFactory(send, timer));
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (!"off".equals(c.getStarttls())) {
            p.put("mail.smtp.starttls.enable", "true");
        }
        if ("required".equals(c.getStarttls())) {
            p.put("mail.smtp.starttls.required", "true");
        }
        Authenticator login = null;
        if (c.getPassword() != null && !c.getPassword().isBlank()) {
            p.put("mail.smtp.auth", "true");
            String user = c.getUsername();
            String password = c.getPassword();
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        return Session.getInstance(p, login);
    }
}
