package io.skyrun.outputs;

/** Port to a mail transport. */
public interface Mailer {
    /** Sends the email, or throws with a message fit for the run's record (no password in it). */
    void send(Email email) throws MailFailure;

    /** A failed send. */
    class MailFailure extends Exception {
        public MailFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
