package simdvae.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the house, checked on the compiled classes: modules know only the modules below them
 * (core ← kernels ← vae ← cli), no two packages need each other, and the packages of vae keep their order (data
 * and model at the bottom, the API facade and ONNX export on top, the internal packages between and used by vae
 * alone).
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("simdvae");

    @Test
    void modulesKnowOnlyTheModulesBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("simdvae.core..")
                .layer("kernels").definedBy("simdvae.kernels..")
                .layer("gradcheck").definedBy("simdvae.gradcheck..")
                .layer("vae").definedBy("simdvae.vae..")
                .layer("cli").definedBy("simdvae.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("vae").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("kernels").mayOnlyBeAccessedByLayers("vae", "cli")
                .whereLayer("gradcheck").mayNotBeAccessedByAnyLayer()
                .check(CLASSES);
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        slices().matching("simdvae.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void thePackagesOfVaeKeepTheirOrder() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("data").definedBy("simdvae.vae.data")
                .layer("model").definedBy("simdvae.vae.model")
                .layer("table").definedBy("simdvae.vae.table")
                .layer("decide").definedBy("simdvae.vae.decide")
                .layer("network").definedBy("simdvae.vae.internal.network")
                .layer("training").definedBy("simdvae.vae.internal.training")
                .layer("io").definedBy("simdvae.vae.internal.io")
                .layer("facade").definedBy("simdvae.vae")
                .layer("onnx").definedBy("simdvae.vae.onnx")
                .whereLayer("onnx").mayNotBeAccessedByAnyLayer()
                .whereLayer("facade").mayOnlyBeAccessedByLayers("onnx")
                .whereLayer("io").mayOnlyBeAccessedByLayers("facade")
                .whereLayer("training").mayOnlyBeAccessedByLayers("io", "facade")
                .whereLayer("network").mayOnlyBeAccessedByLayers("training", "io", "facade", "onnx")
                .whereLayer("decide").mayOnlyBeAccessedByLayers("network", "io", "facade", "onnx")
                .whereLayer("table").mayOnlyBeAccessedByLayers("decide", "network", "training", "io", "facade", "onnx")
                .whereLayer("model").mayOnlyBeAccessedByLayers("table", "decide", "network", "training", "io",
                        "facade", "onnx")
                .check(CLASSES);
    }

    @Test
    void onlyVaeUsesItsInternalPackages() {
        noClasses().that().resideOutsideOfPackage("simdvae.vae..").should().dependOnClassesThat()
                .resideInAPackage("simdvae.vae.internal..").check(CLASSES);
    }
}
