package io.skyrun.infra;

import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk synth} / {@code cdk deploy} run this main through {@code cdk.json}. Settings come from
 * the context ({@code -c modelProvider=openai -c modelApiKeySecret=skyrun/openai ...}, see {@link DeploySettings}).
 */
public final class SkyrunApp {

    /** Context key naming the repository root that holds {@code functions/<name>/target/<name>.jar}. */
    public static final String REPO_ROOT_CONTEXT = "repoRoot";

    /** The CDK CLI runs the app from {@code infra-cdk/}, so the repository root is its parent. */
    static final String DEFAULT_REPO_ROOT = "..";

    static final String STACK_NAME = "SkyrunStack";

    private SkyrunApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        new SkyrunStack(app, STACK_NAME, StackProps.builder()
                .description("skyrun: serverless agent platform (HTTP API, Lambdas, DynamoDB, SQS, EventBridge targets, S3 output files)")
                .build(), repoRoot(app), DeploySettings.fromContext(app.getNode()::tryGetContext));
        app.synth();
    }

    static Path repoRoot(App app) {
        Object configured = app.getNode().tryGetContext(REPO_ROOT_CONTEXT);
        String root = configured == null ? DEFAULT_REPO_ROOT : configured.toString();
        return Path.of(root).toAbsolutePath().normalize();
    }
}
