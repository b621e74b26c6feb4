package io.skyrun.outputs;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.aws.AwsConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds the mail transport of email outputs from {@code skyrun.outputs}: SMTP, SES, or, when neither is
 * configured, one whose every send fails with what to set. Only where the mail libraries are (the API
 * Lambdas leave them out of their jars: they send no mail).
 */
@Factory
@Requires(classes = {jakarta.mail.Session.class, SesV2Client.class})
public class MailFactory {
    @Singleton
    Mailer mailer(OutputsConfig config, AwsClientFactory aws, AwsConfig awsConfig) {
        String problem = config.emailProblem();
        if (problem != null) {
            return email -> {
                throw new Mailer.MailFailure(problem, null);
            };
        }
        if (config.emailTransport().equals("ses")) {
            // built on the first mail sent: most runs send none
            return new SesMailer(aws.lazy(() -> aws.configure(SesV2Client.builder(), awsConfig.sesEndpoint()).build()));
        }
        return new SmtpMailer(config);
    }
}
