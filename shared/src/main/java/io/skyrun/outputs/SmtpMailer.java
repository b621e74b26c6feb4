package io.skyrun.outputs;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;

/** Sends output emails through an SMTP server (Jakarta Mail), with STARTTLS required unless turned off. */
public class SmtpMailer implements Mailer {
    private final Session session;
    private final String password;

    public SmtpMailer(OutputsConfig config) {
        Properties props = new Properties();
        String timeout = Long.toString(config.mailTimeout().toMillis());
        props.put("mail.smtp.host", config.smtpHost());
        props.put("mail.smtp.port", Integer.toString(config.smtpPort()));
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.starttls.enable", Boolean.toString(config.smtpStartTls()));
        props.put("mail.smtp.starttls.required", Boolean.toString(config.smtpStartTls()));
        boolean login = config.smtpUser() != null && !config.smtpUser().isBlank();
        props.put("mail.smtp.auth", Boolean.toString(login));
        this.password = config.smtpPassword();
        this.session = Session.getInstance(props, login ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(config.smtpUser(), config.smtpPassword());
            }
        } : null);
    }

    @Override
    public void send(Email email) throws MailFailure {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(email.from(), true));
            for (String to : email.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            message.setSubject(email.subject(), "UTF-8");
            message.setText(email.text(), "UTF-8");
            Transport.send(message);
        } catch (MessagingException e) {
            String text = "SMTP: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            if (password != null && !password.isBlank()) {
                text = text.replace(password, "***");
            }
            throw new MailFailure(text, e);
        }
    }
}
