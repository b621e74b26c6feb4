package io.skyrun.bench;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The cold-start benchmark. For each Lambda artifact (the bare hello function and the four skyrun
 * functions) it starts fresh JVMs running {@link Launch}, in two modes: the JVM flags of the Lambda
 * stack ({@code JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1}, plus Lambda's {@code -Xshare:auto} and
 * {@code -XX:+UseSerialGC}), and the same with an AppCDS archive made by one training run. It prints
 * a table of cold-start times and peak RSS, a verdict per artifact against the targets, and then
 * (see {@link Capacity}) the DynamoDB capacity consumed by each API operation.
 *
 * <p>Run it with {@code mvn -B -q -pl functions/coldstart-bench exec:exec} after {@code mvn -B
 * -DskipTests install} at the root. Settings (system properties): {@code runs} (5), {@code artifacts}
 * ({@code all} or a comma list), {@code capacity} (true), {@code timeoutSeconds} (60).
 *
 * <p>Everything listens on and connects to 127.0.0.1 only: one in-memory DynamoDB Local (started here,
 * shared by every launched JVM), and for the capacity part a stub of the EventBridge API.
 */
public final class ColdStart {
    static final double TARGET_RATIO = 1.3;
    static final long TARGET_RSS_MB = 160;
    /** Micronaut's API Gateway handler, which the bare hello function uses. */
    static final String API_HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";
    /** skyrun's API functions' handler: Micronaut's, with the context built by skyrun's FunctionContextBuilder. */
    static final String SKYRUN_API_HANDLER = "io.skyrun.aws.HttpApiFunction";
    static final String TABLE = "bench";

    /** One Lambda artifact and the event it is fed. {@code memoryMb} is its memory size in the CDK stack. */
    record Artifact(String name, Path jar, String handler, String eventClass, String eventJson,
                    String expectedStatus, int memoryMb, boolean usesDynamo) {
    }

    /** One measured JVM: ms from JVM start to response, peak RSS, ms from spawning the process to the response. */
    record Sample(long coldMs, long rssKb, long spawnMs, long initMs, String status, int round) {
        Sample inRound(int n) {
            return new Sample(coldMs, rssKb, spawnMs, initMs, status, n);
        }
    }

    /**
     * How a measured JVM gets the function: {@code default} runs the jar with the stack's flags; {@code unpacked}
     * runs the jar's contents extracted to a directory, which is how Lambda runs a jar deployment package (it
     * unpacks it into /var/task, the runtime's classpath); {@code appcds} runs the jar with an AppCDS archive (an
     * archive needs jars on the classpath, so it has no unpacked form).
     */
    enum Mode {
        DEFAULT("default"), UNPACKED("unpacked"), APPCDS("appcds");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final Path module;
    private final Path work;
    private final int runs;
    private final long timeoutSeconds;
    private final Path launcherJar;
    private final Path serializationJar;
    private String dynamoEndpoint;
    private boolean tableCreated;
    private int failures;

    private ColdStart(Path module, int runs, long timeoutSeconds) throws IOException {
        this.module = module;
        this.work = module.resolve("target/coldstart");
        this.runs = runs;
        this.timeoutSeconds = timeoutSeconds;
        Files.createDirectories(work.resolve("logs"));
        Files.createDirectories(work.resolve("events"));
        this.launcherJar = buildLauncherJar(work.resolve("launcher.jar"));
        this.serializationJar = codeSource(LambdaEventSerializers.class);
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(System.getProperty("bench.module", ".")).toAbsolutePath().normalize();
        int runs = Integer.parseInt(System.getProperty("runs", "5"));
        long timeout = Long.parseLong(System.getProperty("timeoutSeconds", "60"));
        String selection = System.getProperty("artifacts", "all");
        boolean capacity = Boolean.parseBoolean(System.getProperty("capacity", "true"));
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1");
        }
        // the runner's own SDK clients talk to emulators only
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("sqlite4java.library.path", System.getProperty("sqlite4java.library.path",
                module.resolve("target/native-libs").toString()));

        ColdStart bench = new ColdStart(module, runs, timeout);
        List<Artifact> artifacts = bench.artifacts(selection);
        long began = System.nanoTime();
        DynamoDBProxyServer dynamo = bench.startDynamoLocal();
        try {
            if (!artifacts.isEmpty()) {
                bench.measure(artifacts);
            }
            if (capacity) {
                new Capacity(bench.dynamoEndpoint).run();
            }
        } finally {
            dynamo.stop();
        }
        System.out.printf(Locale.ROOT, "%nbenchmark took %.0f s%n", (System.nanoTime() - began) / 1e9);
        System.exit(bench.failures == 0 ? 0 : 1);
    }

    // ---------------------------------------------------------------- artifacts and events

    private List<Artifact> artifacts(String selection) throws IOException {
        if ("none".equals(selection)) {
            return List.of();
        }
        Path functions = module.getParent();
        String api = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
        List<Artifact> all = List.of(
                new Artifact("hello-function", module.resolve("target/hello-function.jar"), API_HANDLER, api,
                        httpApiEvent("/hello"), "HTTP_200", 1024, false),
                new Artifact("goals-api", functions.resolve("goals-api/target/goals-api.jar"), SKYRUN_API_HANDLER, api,
                        httpApiEvent("/health"), "HTTP_200", 1024, true),
                new Artifact("runs-api", functions.resolve("runs-api/target/runs-api.jar"), SKYRUN_API_HANDLER, api,
                        httpApiEvent("/health"), "HTTP_200", 1024, true),
                new Artifact("run-worker", functions.resolve("run-worker/target/run-worker.jar"),
                        "io.skyrun.worker.RunWorkerHandler", "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                        sqsEvent("run_missing"), "batchItemFailures=0", 1024, true),
                new Artifact("schedule-trigger", functions.resolve("schedule-trigger/target/schedule-trigger.jar"),
                        "io.skyrun.trigger.ScheduleTriggerHandler", "java.util.Map", scheduleFire(),
                        "skipped=schedule_no_longer_exists", 512, true));
        List<Artifact> chosen = new ArrayList<>();
        List<String> names = "all".equals(selection) ? null : Arrays.stream(selection.split(",")).map(String::strip).toList();
        for (Artifact a : all) {
            if (names == null || names.contains(a.name()) || a.name().equals("hello-function")) {
                if (!Files.isRegularFile(a.jar())) {
                    throw new IllegalStateException(a.jar() + " is missing: build first with `mvn -B -DskipTests install`"
                            + " at the repository root");
                }
                chosen.add(a);
            }
        }
        for (Artifact a : chosen) {
            Files.writeString(eventFile(a), a.eventJson());
        }
        return chosen;
    }

    private Path eventFile(Artifact a) {
        return work.resolve("events/" + a.name() + ".json");
    }

    /** An API Gateway HTTP API (payload 2.0) GET event, as API Gateway sends it. */
    static String httpApiEvent(String path) {
        long now = Instant.now().toEpochMilli();
        return "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"" + path + "\",\"rawQueryString\":\"\","
                + "\"headers\":{\"accept\":\"*/*\",\"host\":\"abc123.execute-api.us-east-1.amazonaws.com\","
                + "\"user-agent\":\"curl/8.5.0\",\"x-forwarded-for\":\"203.0.113.9\",\"x-forwarded-port\":\"443\","
                + "\"x-forwarded-proto\":\"https\"},"
                + "\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"abc123\","
                + "\"domainName\":\"abc123.execute-api.us-east-1.amazonaws.com\",\"domainPrefix\":\"abc123\","
                + "\"http\":{\"method\":\"GET\",\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"203.0.113.9\",\"userAgent\":\"curl/8.5.0\"},"
                + "\"requestId\":\"bench-request\",\"routeKey\":\"$default\",\"stage\":\"$default\","
                + "\"time\":\"23/Nov/2026:12:00:00 +0000\",\"timeEpoch\":" + now + "},"
                + "\"isBase64Encoded\":false}";
    }

    /** An SQS event with one record, as the event source mapping delivers it. */
    static String sqsEvent(String body) {
        return "{\"Records\":[{\"messageId\":\"11111111-2222-3333-4444-555555555555\","
                + "\"receiptHandle\":\"bench-receipt\",\"body\":\"" + body + "\","
                + "\"attributes\":{\"ApproximateReceiveCount\":\"1\",\"SentTimestamp\":\"1795435200000\","
                + "\"SenderId\":\"AIDAEXAMPLE\",\"ApproximateFirstReceiveTimestamp\":\"1795435200001\"},"
                + "\"messageAttributes\":{},\"md5OfBody\":\"0\",\"eventSource\":\"aws:sqs\","
                + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:skyrun-runs\",\"awsRegion\":\"us-east-1\"}]}";
    }

    /** What a schedule's EventBridge rule delivers (its input transformer's output), for a schedule that does not exist. */
    static String scheduleFire() {
        return "{\"ownerId\":\"default\",\"goalId\":\"goal_bench_missing\",\"scheduleId\":\"sched_bench_missing\","
                + "\"cronExpr\":\"0 9 * * *\",\"timezone\":\"UTC\",\"time\":\"2026-11-23T09:00:00Z\"}";
    }

    // ---------------------------------------------------------------- measuring

    private void measure(List<Artifact> artifacts) throws Exception {
        System.out.printf(Locale.ROOT, "Cold start: %d run(s) per artifact and mode, DynamoDB Local at %s, JDK %s, %d CPUs,"
                        + " load average %s%n", runs, dynamoEndpoint, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Map<String, Map<Mode, List<Sample>>> samples = new LinkedHashMap<>();
        Map<String, String> cdsInfo = new LinkedHashMap<>();
        Map<String, Map<String, Long>> packages = new LinkedHashMap<>();
        // not counted: two runs per artifact to warm the file cache, jar and unpacked (the first skyrun one
        // creates the table), one AppCDS training run, and one run that checks the archive is really used
        for (Artifact a : artifacts) {
            Map<Mode, List<Sample>> byMode = new EnumMap<>(Mode.class);
            for (Mode mode : Mode.values()) {
                byMode.put(mode, new ArrayList<>());
            }
            samples.put(a.name(), byMode);
            unpack(a.jar(), unpacked(a));
            launch(a, Mode.DEFAULT, "warmup", List.of());
            launch(a, Mode.UNPACKED, "warmup", List.of());
            Path jsa = archive(a);
            Files.deleteIfExists(jsa);
            launch(a, Mode.DEFAULT, "train", List.of("-XX:ArchiveClassesAtExit=" + jsa));
            if (!Files.isRegularFile(jsa)) {
                throw new IllegalStateException("the training run of " + a.name() + " wrote no archive " + jsa);
            }
            Path classLog = work.resolve("logs/" + a.name() + "-classes.log");
            Files.deleteIfExists(classLog);
            launch(a, Mode.APPCDS, "check", List.of("-Xlog:class+load=info:file=" + classLog));
            cdsInfo.put(a.name(), classSources(classLog, jsa));
            packages.put(a.name(), packageCounts(classLog));
        }
        // measured: round-robin over artifacts and modes, so background load spreads over all of them
        for (int i = 1; i <= runs; i++) {
            for (Artifact a : artifacts) {
                for (Mode mode : Mode.values()) {
                    int round = i;
                    launch(a, mode, "run" + i, List.of())
                            .ifPresent(s -> samples.get(a.name()).get(mode).add(s.inRound(round)));
                }
            }
            System.out.printf(Locale.ROOT, "  round %d of %d done%n", i, runs);
        }
        String load = loadAverage();
        printTable(artifacts, samples, cdsInfo);
        printExtraClasses(packages);
        System.out.println("Load average at the end: " + load + " (1, 5, 15 min). Other work on the machine slows every"
                + " JVM; the rounds interleave artifacts and modes so it weighs on all of them alike, but absolute"
                + " times are only comparable between quiet runs.");
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private Path archive(Artifact a) {
        return work.resolve(a.name() + ".jsa");
    }

    private Path unpacked(Artifact a) {
        return work.resolve("unpacked").resolve(a.name());
    }

    /** Extracts a jar into a new directory, as Lambda extracts a deployment package into /var/task. */
    private static void unpack(Path jar, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the jar's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }

    /** The JVM flags of one mode, as the Lambda Java 17 runtime plus the stack's JAVA_TOOL_OPTIONS give them. */
    private List<String> flags(Artifact a, Mode mode) {
        List<String> flags = new ArrayList<>(List.of(
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", // the stack's JAVA_TOOL_OPTIONS
                "-Xshare:auto", "-XX:+UseSerialGC",                  // what the Lambda runtime starts the JVM with
                "-XX:MaxRAM=" + a.memoryMb() + "m"));                 // the JVM sizes its heap from the function's memory
        if (mode == Mode.APPCDS) {
            flags.add("-XX:SharedArchiveFile=" + archive(a));
        }
        return flags;
    }

    private Optional<Sample> launch(Artifact a, Mode mode, String tag, List<String> extraFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags(a, mode));
        command.addAll(extraFlags);
        if (a.usesDynamo()) {
            command.add("-Dskyrun.aws.dynamodb-endpoint=" + dynamoEndpoint);
        }
        command.add("-cp");
        Path function = mode == Mode.UNPACKED ? unpacked(a) : a.jar();
        command.add(launcherJar + java.io.File.pathSeparator + serializationJar + java.io.File.pathSeparator + function);
        command.add(Launch.class.getName());
        command.add(a.handler());
        command.add(eventFile(a).toString());
        command.add(a.eventClass());

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = work.resolve("logs/" + a.name() + "-" + mode.label + "-" + tag + ".log");
        builder.redirectOutput(log.toFile());
        environment(builder.environment(), a);
        long spawned = System.currentTimeMillis();
        Process process = builder.start();
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return fail(a, mode, tag, "killed after " + timeoutSeconds + " s", log);
        }
        Optional<String> line;
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            line = lines.filter(l -> l.startsWith("COLDSTART ")).findFirst();
        }
        if (process.exitValue() != 0 || line.isEmpty()) {
            return fail(a, mode, tag, "exit " + process.exitValue() + ", no COLDSTART line", log);
        }
        Map<String, String> fields = fields(line.get());
        String status = fields.get("STATUS");
        if (!status.contains(a.expectedStatus())) {
            return fail(a, mode, tag, "unexpected response " + status + " (expected " + a.expectedStatus() + ")", log);
        }
        return Optional.of(new Sample(Long.parseLong(fields.get("COLDSTART")), Long.parseLong(fields.get("RSS_KB")),
                Long.parseLong(fields.get("END_EPOCH_MS")) - spawned, Long.parseLong(fields.get("INIT_MS")), status, 0));
    }

    private Optional<Sample> fail(Artifact a, Mode mode, String tag, String why, Path log) {
        failures++;
        System.out.printf(Locale.ROOT, "  FAILED %s %s %s: %s (see %s)%n", a.name(), mode.label, tag, why, log);
        return Optional.empty();
    }

    /** The deployed functions' environment (CDK stack), with emulator endpoints and dummy credentials. */
    private void environment(Map<String, String> env, Artifact a) {
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SKYRUN_") || k.startsWith("MICRONAUT_")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("SKYRUN_STORAGE", "dynamodb");
        env.put("SKYRUN_TABLE", TABLE);
        env.put("SKYRUN_QUEUE", "sqs");
        env.put("SKYRUN_QUEUE_URL", "http://127.0.0.1:1/queue/unused");
        env.put("SKYRUN_SCHEDULER", "eventbridge");
        env.put("SKYRUN_SCHEDULE_TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:schedule-trigger:live");
        env.put("SKYRUN_SCHEDULE_DLQ_ARN", "arn:aws:sqs:us-east-1:123456789012:skyrun-schedule-dlq");
        // the stack keeps run files in S3 for every function
        env.put("SKYRUN_FILES", "s3");
        env.put("SKYRUN_FILES_BUCKET", "skyrun-bench-files");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // the deployed stack does not create the table: only the first skyrun JVM (a warm-up) does
        boolean create = a.usesDynamo() && !tableCreated;
        env.put("SKYRUN_CREATE_TABLE", Boolean.toString(create));
        if (create) {
            tableCreated = true;
        }
    }

    private static Map<String, String> fields(String line) {
        String[] parts = line.strip().split(" ");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            out.put(parts[i], parts[i + 1]);
        }
        return out;
    }

    /** "N classes, M from the AppCDS archive, K from the JDK's archive" from a -Xlog:class+load file. */
    private static String classSources(Path log, Path jsa) throws IOException {
        long total;
        long top;
        long base;
        try (Stream<String> lines = Files.lines(log)) {
            List<String> loads = lines.filter(l -> l.contains(" source: ")).toList();
            total = loads.size();
            top = loads.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
            base = loads.stream().filter(l -> l.contains("source: shared objects file") && !l.contains("(top)")).count();
        }
        return String.format(Locale.ROOT, "%d classes loaded: %d from the AppCDS archive (%.0f MB), %d from the JDK's",
                total, top, Files.size(jsa) / 1048576.0, base);
    }

    /** Classes loaded per package group (three name segments, two for java.*, jdk.*, sun.*). */
    private static Map<String, Long> packageCounts(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(" source: "))
                    .map(l -> l.substring(l.indexOf("] ") + 2).split(" ")[0])
                    .map(ColdStart::packageGroup)
                    .collect(Collectors.groupingBy(g -> g, Collectors.counting()));
        }
    }

    static String packageGroup(String className) {
        String[] parts = className.split("\\.");
        int keep = Set.of("java", "javax", "jdk", "sun").contains(parts[0]) ? 2 : 3;
        return String.join(".", Arrays.asList(parts).subList(0, Math.min(keep, parts.length - 1)));
    }

    /** Where each function's classes beyond the hello function's come from: the biggest package groups. */
    private static void printExtraClasses(Map<String, Map<String, Long>> packages) {
        Map<String, Long> hello = packages.get("hello-function");
        if (hello == null || packages.size() < 2) {
            return;
        }
        System.out.println();
        System.out.println("Classes loaded beyond the hello function's (check run), largest package groups:");
        packages.forEach((name, counts) -> {
            if (name.equals("hello-function")) {
                return;
            }
            long extra = counts.values().stream().mapToLong(Long::longValue).sum()
                    - hello.values().stream().mapToLong(Long::longValue).sum();
            String top = counts.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - hello.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(6)
                    .map(e -> e.getKey() + " +" + e.getValue())
                    .collect(Collectors.joining(", "));
            System.out.printf(Locale.ROOT, "%-17s %+d: %s%n", name + ":", extra, top);
        });
    }

    // ---------------------------------------------------------------- report

    private void printTable(List<Artifact> artifacts, Map<String, Map<Mode, List<Sample>>> samples,
                            Map<String, String> cdsInfo) {
        System.out.println();
        System.out.println("Cold start from JVM start to the first response (ms), peak RSS (VmHWM); medians of "
                + runs + " fresh JVMs");
        String header = String.format(Locale.ROOT, "%-17s| %-8s| %8s | %6s | %6s | %8s | %9s | %8s | %10s | %8s | %6s",
                "artifact", "mode", "median", "min", "max", "RSS MB", "x hello", "paired", "spawn->rsp", "init", "jar MB");
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        Map<Mode, Double> hello = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            List<Sample> h = samples.get("hello-function").get(mode);
            hello.put(mode, h.isEmpty() ? Double.NaN : median(h.stream().map(Sample::coldMs).toList()));
        }
        List<String> verdicts = new ArrayList<>();
        for (Artifact a : artifacts) {
            StringBuilder verdict = new StringBuilder(String.format(Locale.ROOT, "%-17s", a.name() + ":"));
            boolean pass = true;
            for (Mode mode : Mode.values()) {
                List<Sample> s = samples.get(a.name()).get(mode);
                if (s.isEmpty()) {
                    System.out.printf(Locale.ROOT, "%-17s| %-8s| no successful run%n", a.name(), mode.label);
                    verdict.append(" ").append(mode.label).append(" NO DATA;");
                    pass = false;
                    continue;
                }
                double med = median(s.stream().map(Sample::coldMs).toList());
                double rssMb = median(s.stream().map(Sample::rssKb).toList()) / 1024.0;
                double ratio = med / hello.get(mode);
                System.out.printf(Locale.ROOT, "%-17s| %-8s| %8.0f | %6d | %6d | %8.1f | %8.2fx | %7.2fx | %10.0f | %8.0f | %6.1f%n",
                        a.name(), mode.label, med,
                        s.stream().mapToLong(Sample::coldMs).min().orElse(0),
                        s.stream().mapToLong(Sample::coldMs).max().orElse(0),
                        rssMb, ratio, pairedRatio(s, samples.get("hello-function").get(mode)),
                        median(s.stream().map(Sample::spawnMs).toList()),
                        median(s.stream().map(Sample::initMs).toList()),
                        sizeMb(a.jar()));
                if (!a.name().equals("hello-function")) {
                    boolean timeOk = ratio <= TARGET_RATIO;
                    boolean rssOk = rssMb < TARGET_RSS_MB;
                    pass &= timeOk && rssOk;
                    verdict.append(String.format(Locale.ROOT, " %s %.2fx hello %s, %.0f MB %s;", mode.label, ratio,
                            timeOk ? "ok" : "OVER", rssMb, rssOk ? "ok" : "OVER"));
                }
            }
            if (!a.name().equals("hello-function")) {
                verdicts.add(verdict.append(pass ? " MEETS the targets" : " MISSES the targets").toString());
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Verdict (targets: at most %.1fx the hello function's median in the same mode,"
                + " median RSS under %d MB)%n", TARGET_RATIO, TARGET_RSS_MB);
        verdicts.forEach(System.out::println);
        System.out.println();
        System.out.println("AppCDS archives (check run with -Xlog:class+load):");
        cdsInfo.forEach((name, info) -> System.out.printf(Locale.ROOT, "%-17s %s%n", name + ":", info));
        System.out.println();
        System.out.println("JVM flags: -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC"
                + " -XX:MaxRAM=<function memory: 1024m, schedule-trigger 512m>; appcds adds -XX:SharedArchiveFile=<training"
                + " archive>. Logs: " + work.resolve("logs"));
    }

    /**
     * The median over rounds of this artifact's time divided by hello's in the same round and mode: each round
     * measures both back to back, so load that drifts across the benchmark cancels out of each ratio.
     * Reported beside the ratio of the medians, which the verdict uses.
     */
    static double pairedRatio(List<Sample> artifact, List<Sample> hello) {
        Map<Integer, Long> helloByRound = new LinkedHashMap<>();
        hello.forEach(h -> helloByRound.put(h.round(), h.coldMs()));
        List<Double> ratios = artifact.stream().filter(s -> helloByRound.containsKey(s.round()))
                .map(s -> (double) s.coldMs() / helloByRound.get(s.round())).sorted().toList();
        int n = ratios.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2.0;
    }

    static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static double sizeMb(Path jar) {
        try {
            return Files.size(jar) / 1048576.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- infrastructure

    /** Writes target/coldstart/launcher.jar with {@link Launch} only, from this runner's own compiled classes. */
    private static Path buildLauncherJar(Path jar) throws IOException {
        Path classes = codeSource(Launch.class);
        List<Path> files;
        try (Stream<Path> walk = Files.list(classes.resolve("io/skyrun/bench"))) {
            files = walk.filter(p -> p.getFileName().toString().matches("Launch(\\$.*)?\\.class")).sorted()
                    .collect(Collectors.toList());
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            for (Path file : files) {
                JarEntry entry = new JarEntry(classes.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                jos.putNextEntry(entry);
                jos.write(Files.readAllBytes(file));
                jos.closeEntry();
            }
        }
        return jar;
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One in-memory DynamoDB Local for every launched JVM, listening on 127.0.0.1 only. */
    private DynamoDBProxyServer startDynamoLocal() throws Exception {
        int port = freePort();
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[]{
                "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        for (Connector connector : ((Server) field.get(server)).getConnectors()) {
            if (connector instanceof ServerConnector network) {
                network.setHost("127.0.0.1");
            }
        }
        server.start();
        dynamoEndpoint = "http://127.0.0.1:" + port;
        return server;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
