package org.mrw.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "org.mrw.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class AgentLayeringTest {

    @ArchTest
    static final ArchRule agentNeverImportsCore = noClasses().that().resideInAPackage("org.mrw.agent..")
            .should().dependOnClassesThat().resideInAnyPackage("org.mrw.core..", "org.mrw.app..", "javafx..", "ai.djl..")
            .because("the agent runs on Android's app_process, where only the protocol and the mobile runtimes exist");
}
