package io.skyrun.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** A {@link SkyrunStack} synthesized over placeholder jars, with lookups into its CloudFormation template. */
final class SynthesizedStack {

    static final List<String> FUNCTIONS =
            List.of(SkyrunStack.GOALS_API, SkyrunStack.RUNS_API, SkyrunStack.RUN_WORKER, SkyrunStack.SCHEDULE_TRIGGER);

    final SkyrunStack stack;
    final Template template;
    final Map<String, Map<String, Object>> resources;

    private SynthesizedStack(SkyrunStack stack) {
        this.stack = stack;
        this.template = Template.fromStack(stack);
        this.resources = cast(template.toJSON().get("Resources"));
    }

    /** Synthesizes the stack with {@code settings} in its own app under {@code workDir/name}. */
    static SynthesizedStack synthesize(Path workDir, String name, DeploySettings settings) throws IOException {
        Path repoRoot = workDir.resolve(name + "-repo");
        for (String function : FUNCTIONS) {
            placeholderJar(repoRoot, function);
        }
        App app = new App(AppProps.builder().outdir(workDir.resolve(name + ".out").toString()).build());
        return new SynthesizedStack(new SkyrunStack(app, "SkyrunStack", StackProps.builder().build(), repoRoot, settings));
    }

    /** A small but real jar whose bytes differ per function. */
    static byte[] placeholderJar(Path repoRoot, String name) throws IOException {
        Path jar = repoRoot.resolve("functions").resolve(name).resolve("target").resolve(name + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("placeholder/" + name + ".txt"));
            out.write(name.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return Files.readAllBytes(jar);
    }

    /** The CloudFormation logical ID of the construct at {@code path} under the stack. */
    String logicalId(String... path) {
        IConstruct construct = stack;
        for (String id : path) {
            construct = construct.getNode().findChild(id);
        }
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return (String) stack.resolve(stack.getLogicalId(element));
    }

    Map<String, Object> ref(String constructId) {
        return Map.of("Ref", logicalId(constructId));
    }

    Map<String, Object> getAttArn(String constructId) {
        return Map.of("Fn::GetAtt", List.of(logicalId(constructId), "Arn"));
    }

    /** What {@code bucket.arnForObjects("*")} renders. */
    Map<String, Object> objectsArn(String bucketId) {
        return Map.of("Fn::Join", List.of("", List.of(getAttArn(bucketId), "/*")));
    }

    Map<String, Object> resource(String logicalId) {
        assertThat(resources).containsKey(logicalId);
        return resources.get(logicalId);
    }

    Map<String, Object> properties(String logicalId) {
        return cast(resource(logicalId).get("Properties"));
    }

    /** Properties of every resource of the given type. */
    List<Map<String, Object>> ofType(String type) {
        return resources.values().stream()
                .filter(resource -> type.equals(resource.get("Type")))
                .map(resource -> map(resource.get("Properties")))
                .toList();
    }

    Map<String, Object> environmentOf(String function) {
        Map<String, Object> environment = cast(properties(logicalId(function)).get("Environment"));
        return cast(environment.get("Variables"));
    }

    /** Statements of the default policy CDK attaches to the function's execution role. */
    List<Map<String, Object>> statementsOf(String function) {
        return statements(properties(logicalId(function, "ServiceRole", "DefaultPolicy")));
    }

    /** The statements of {@code function}'s role whose actions include one starting with {@code prefix}. */
    List<Map<String, Object>> statementsOf(String function, String actionPrefix) {
        return statementsOf(function).stream()
                .filter(statement -> asList(statement.get("Action")).stream()
                        .anyMatch(action -> action.toString().startsWith(actionPrefix)))
                .toList();
    }

    static List<Map<String, Object>> statements(Map<String, Object> policyProperties) {
        Map<String, Object> document = cast(policyProperties.get("PolicyDocument"));
        return asList(document.get("Statement")).stream()
                .map(SynthesizedStack::map)
                .toList();
    }

    /** IAM and CloudFormation allow a single value where a list is expected; tests compare lists. */
    static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    static Map<String, Object> map(Object value) {
        return cast(value);
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object value) {
        return (T) value;
    }
}
