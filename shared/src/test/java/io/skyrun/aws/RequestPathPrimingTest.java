package io.skyrun.aws;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Priming takes a DynamoDB request as far as sending it, signed, and sends nothing. */
class RequestPathPrimingTest {
    @Test
    void thePrimedRequestIsSignedAndStoppedBeforeAnyConnection() throws Exception {
        try (ServerSocket dynamo = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AwsConfig config = new AwsConfig("us-east-1", "http://127.0.0.1:" + dynamo.getLocalPort(), null, null, null,
                    null, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(3), false);
            AwsClientFactory factory = new AwsClientFactory(config, "dynamodb");
            try {
                assertThat(factory.primeRequestPath()).as("reached the moment of sending").isTrue();
            } finally {
                factory.awsHttpClient().close();
            }

            dynamo.setSoTimeout(300);
            assertThatThrownBy(dynamo::accept).as("no connection was made").isInstanceOf(SocketTimeoutException.class);
        }
    }
}
