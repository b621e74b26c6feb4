package io.skyrun.outputs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Where run outputs go ({@code SKYRUN_FILES*}, {@code SKYRUN_EMAIL*}, {@code SKYRUN_SMTP_*}).
 *
 * @param files        {@code local} (default: a folder) or {@code s3}
 * @param filesDir     the folder of {@code local}; default {@code <data dir>/files}
 * @param filesBucket  the bucket of {@code s3}
 * @param maxFileBytes largest output file
 * @param email        {@code smtp} (when an SMTP host is set, the default then), {@code ses}, or {@code none}
 * @param emailFrom    sender address of output emails
 * @param emailAllowedRecipients who email outputs may go to: addresses, {@code @domain}s, or {@code *} for any
 *                     (comma-separated; required with a transport, so the API is no open mail relay)
 * @param smtpHost     SMTP server
 * @param smtpPort     SMTP port (587: submission with STARTTLS)
 * @param smtpUser     SMTP user, when the server wants a login
 * @param smtpPassword SMTP password; never logged
 * @param smtpStartTls require STARTTLS (on by default; turn off only for a local relay)
 * @param mailTimeout  connect and I/O limit of one email
 */
@ConfigurationProperties("skyrun.outputs")
public record OutputsConfig(
        @Bindable(defaultValue = "local") String files,
        @Nullable String filesDir,
        @Nullable String filesBucket,
        @Bindable(defaultValue = "1048576") int maxFileBytes,
        @Nullable String email,
        @Nullable String emailFrom,
        @Nullable String emailAllowedRecipients,
        @Nullable String smtpHost,
        @Bindable(defaultValue = "587") int smtpPort,
        @Nullable String smtpUser,
        @Nullable String smtpPassword,
        @Bindable(defaultValue = "true") boolean smtpStartTls,
        @Bindable(defaultValue = "10s") Duration mailTimeout) {

    /** The mail transport in use: smtp, ses or none. */
    public String emailTransport() {
        if (email != null && !email.isBlank()) {
            return email.strip().toLowerCase(java.util.Locale.ROOT);
        }
        return smtpHost != null && !smtpHost.isBlank() ? "smtp" : "none";
    }

    /** Why output emails cannot be sent, or null when they can. */
    public String emailProblem() {
        String transport = emailTransport();
        if (transport.equals("none")) {
            return "email outputs need a mail transport: set SKYRUN_SMTP_HOST (SMTP) or SKYRUN_EMAIL=ses (Amazon SES)";
        }
        if (!transport.equals("smtp") && !transport.equals("ses")) {
            return "SKYRUN_EMAIL must be smtp, ses or none (was '" + email + "')";
        }
        if (transport.equals("smtp") && (smtpHost == null || smtpHost.isBlank())) {
            return "SKYRUN_EMAIL=smtp needs SKYRUN_SMTP_HOST";
        }
        if (emailFrom == null || emailFrom.isBlank()) {
            return "email outputs need a sender: set SKYRUN_EMAIL_FROM";
        }
        if (allowedRecipients().isEmpty()) {
            return "email outputs need SKYRUN_EMAIL_ALLOWED_RECIPIENTS: the addresses or @domains they may go to "
                    + "(* for any)";
        }
        return null;
    }

    /** The allow-list entries, lower case. */
    public java.util.List<String> allowedRecipients() {
        if (emailAllowedRecipients == null) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(emailAllowedRecipients.split(","))
                .map(e -> e.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(e -> !e.isEmpty())
                .toList();
    }

    /** Whether an email output may go to this address. */
    public boolean recipientAllowed(String address) {
        String wanted = address.toLowerCase(java.util.Locale.ROOT);
        String domain = wanted.substring(wanted.indexOf('@'));
        return allowedRecipients().stream().anyMatch(e -> e.equals("*") || e.equals(wanted) || e.equals(domain));
    }
}
