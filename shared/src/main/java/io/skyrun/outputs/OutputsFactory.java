package io.skyrun.outputs;

import io.micronaut.context.annotation.Factory;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.aws.AwsConfig;
import io.skyrun.aws.LazyClient;
import io.skyrun.storage.StorageConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.nio.file.Path;

/** Builds the file store from {@code skyrun.outputs}. */
@Factory
public class OutputsFactory {
    @Singleton
    FileStore fileStore(OutputsConfig config, StorageConfig storage, AwsClientFactory aws, AwsConfig awsConfig) {
        if ("s3".equalsIgnoreCase(config.files())) {
            if (config.filesBucket() == null || config.filesBucket().isBlank()) {
                throw new IllegalStateException("SKYRUN_FILES=s3 needs SKYRUN_FILES_BUCKET");
            }
            // small bodies sent plain (signed whole, no aws-chunked framing), checksums only where S3 requires them;
            // built on the first file read or written: most requests never touch files
            LazyClient<S3Client> s3 = aws.lazy(() -> aws.configure(S3Client.builder()
                            .forcePathStyle(awsConfig.s3Endpoint() != null)
                            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
                    awsConfig.s3Endpoint()).build());
            return new S3FileStore(s3, config.filesBucket());
        }
        if (!"local".equalsIgnoreCase(config.files())) {
            throw new IllegalStateException("SKYRUN_FILES must be local or s3 (was '" + config.files() + "')");
        }
        Path dir = config.filesDir() != null && !config.filesDir().isBlank()
                ? Path.of(config.filesDir())
                : storage.dataDirectory().resolve("files");
        return new LocalFileStore(dir);
    }
}
