package io.skyrun.outputs;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.util.function.Supplier;

/** Sends output emails through Amazon SES (API v2). */
public class SesMailer implements Mailer {
    private final Supplier<SesV2Client> ses;

    /** @param ses the client, asked for on each send (a {@code LazyClient} builds it on the first) */
    public SesMailer(Supplier<SesV2Client> ses) {
        this.ses = ses;
    }

    @Override
    public void send(Email email) throws MailFailure {
        try {
            ses.get().sendEmail(b -> b.fromEmailAddress(email.from())
                    .destination(d -> d.toAddresses(email.to()))
                    .content(c -> c.simple(m -> m
                            .subject(s -> s.data(email.subject()).charset("UTF-8"))
                            .body(body -> body.text(t -> t.data(email.text()).charset("UTF-8"))))));
        } catch (SdkException e) {
            throw new MailFailure("SES: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
