package org.mrw.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "org.mrw.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class AgentLayeringTest {

    @ArchTest
    static final ArchRule agentNeverImportsTheDesktop = noClasses().that().resideInAPackage("org.mrw.agent..")
            .should().dependOnClassesThat().resideInAnyPackage("org.mrw.core..", "org.mrw.app..", "javafx..")
            .because("the agent runs on Android's app_process, where only the protocol and the mobile runtimes exist");

    @ArchTest
    static final ArchRule onlyTheHostPackageUsesDjl = noClasses().that().resideInAPackage("org.mrw.agent..")
            .and().resideOutsideOfPackage("org.mrw.agent.host..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .because("DJL exists only on the host device; the agent reaches org.mrw.agent.host by reflection, so a phone "
                    + "without DJL reports that runtime unavailable instead of failing to start");
}
