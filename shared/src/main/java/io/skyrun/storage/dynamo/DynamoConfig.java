package io.skyrun.storage.dynamo;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The DynamoDB table.
 *
 * @param table       table name ({@code SKYRUN_TABLE})
 * @param createTable create the table and its indexes at start when missing ({@code SKYRUN_CREATE_TABLE});
 *                    for LocalStack, SAM and tests
 */
@ConfigurationProperties("skyrun.dynamodb")
public record DynamoConfig(
        @Bindable(defaultValue = "skyrun") String table,
        @Bindable(defaultValue = "false") boolean createTable) {
}
