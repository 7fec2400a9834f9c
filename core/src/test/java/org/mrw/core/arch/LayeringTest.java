package org.mrw.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering the architecture promises, checked on core's compiled classes. */
@AnalyzeClasses(packages = "org.mrw", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule coreNeverImportsJavaFx = noClasses().that().resideInAPackage("org.mrw.core..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("the analysis core runs headless: CLI, CI and SLURM shards have no display");

    @ArchTest
    static final ArchRule coreNeverImportsTheApp = noClasses().that().resideInAPackage("org.mrw.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.mrw.app..")
            .because("the GUI depends on the core, never the other way round");

    @ArchTest
    static final ArchRule onlyTheCliWritesToStandardOut = noClasses().that().resideInAPackage("org.mrw.core..")
            .and().resideOutsideOfPackage("org.mrw.core.cli..")
            .should().accessField(System.class, "out")
            .because("--json promises exactly one JSON document on stdout");

    @ArchTest
    static final ArchRule statisticsArePure = classes().that().resideInAPackage("org.mrw.core.stats..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("org.mrw.core.stats..", "java..",
                    "org.apache.commons.statistics..")
            .because("the tests and intervals must be checkable on their own, against R and hand enumerations");
}
