package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kustomization renders: with the Java renderer always, and with {@code kubectl kustomize} where kubectl is
 * installed, whose output must equal the Java rendering resource by resource (so the other tests, which check the
 * Java rendering, check what kubectl applies).
 */
class OverlaysRenderTest {

    private static final Optional<Tool> KUBECTL = Tool.find("kubectl");

    static Stream<Arguments> kustomizations() {
        return Stream.of(
                Arguments.of("base", Repo.KUSTOMIZATIONS.get("base")),
                Arguments.of("dev", Repo.KUSTOMIZATIONS.get("dev")),
                Arguments.of("prod", Repo.KUSTOMIZATIONS.get("prod")),
                Arguments.of("prod+gpu", Rendered.prodWithGpuDir()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void kubectlRendersWhatTheJavaRendererRenders(String name, Path dir) {
        assumeTrue(KUBECTL.isPresent(), "kubectl is not on the PATH: only the Java rendering is checked");
        Tool.Result result = KUBECTL.get().run(dir, "kustomize", ".");
        assertThat(result.exitCode()).as("kubectl kustomize %s:\n%s", name, result.output()).isZero();

        Map<String, Map<String, Object>> kubectl = Rendered.byKey(Yaml.documents(result.output()));
        Map<String, Map<String, Object>> java = Rendered.byKey(Kustomize.render(dir));
        assertThat(java.keySet()).as(name).containsExactlyElementsOf(kubectl.keySet());
        java.forEach((key, resource) -> assertThat(resource).as("%s: %s", name, key).isEqualTo(kubectl.get(key)));
    }

    @Test
    void everyOverlayHasTheSameResourcesAsTheBaseInItsOwnNamespace() {
        Rendered base = Rendered.of("base");
        assertThat(base.resources()).hasSize(28);
        assertThat(base.resources()).allSatisfy(r -> assertThat(Yaml.string(r, "metadata", "namespace")).isNull());

        Rendered dev = Rendered.of("dev");
        assertThat(kindsAndNames(dev)).containsExactlyInAnyOrderElementsOf(kindsAndNames(base));
        assertThat(dev.resources()).allSatisfy(r ->
                assertThat(Yaml.string(r, "metadata", "namespace")).as(kindAndName(r)).isEqualTo("kdflow-dev"));

        Rendered prod = Rendered.of("prod");
        assertThat(kindsAndNames(prod)).containsAll(kindsAndNames(base))
                .contains("KafkaUser/kdflow-services", "TriggerAuthentication/kdflow-kafka", "Secret/kdflow-keda-kafka")
                .hasSize(31);
        assertThat(prod.resources()).allSatisfy(r ->
                assertThat(Yaml.string(r, "metadata", "namespace")).as(kindAndName(r)).isEqualTo("kdflow"));
        assertThat(prod.resources()).allSatisfy(r ->
                assertThat(Yaml.map(r, "metadata", "labels")).as(kindAndName(r))
                        .containsEntry("app.kubernetes.io/part-of", "kdflow"));
    }

    @Test
    void aFieldTheRendererDoesNotKnowFailsInsteadOfBeingIgnored() {
        Path dir = Repo.work("unsupported");
        Rendered.Files.write(dir.resolve("kustomization.yaml"), "resources: []\nnamePrefix: x-\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kustomize.render(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field 'namePrefix' is not supported by this renderer");
    }

    private static List<String> kindsAndNames(Rendered rendered) {
        return rendered.resources().stream().map(OverlaysRenderTest::kindAndName).toList();
    }

    private static String kindAndName(Map<String, Object> resource) {
        return resource.get("kind") + "/" + Yaml.string(resource, "metadata", "name");
    }
}
