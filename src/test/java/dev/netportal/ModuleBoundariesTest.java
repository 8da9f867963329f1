package dev.netportal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/style.md: domain modules never reach into the web contexts; a module's
 * {@code internal} package is its own; the pure modules (IP maths, firewall rendering) use no Spring.
 */
class ModuleBoundariesTest {

    private static final String[] WEB = {"dev.netportal.api..", "dev.netportal.ui..", "dev.netportal.idp.."};
    private static final String[] DOMAIN = {"dev.netportal.common..", "dev.netportal.identity..",
            "dev.netportal.project..", "dev.netportal.database..", "dev.netportal.demo..", "dev.netportal.ipam..",
            "dev.netportal.partition..", "dev.netportal.network..", "dev.netportal.sharing..",
            "dev.netportal.machine..", "dev.netportal.firewall..", "dev.netportal.audit.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netportal");

    @Test
    void domainModulesDoNotKnowTheWebContexts() {
        noClasses().that().resideInAnyPackage(DOMAIN).should().dependOnClassesThat().resideInAnyPackage(WEB)
                .check(classes);
    }

    @Test
    void webContextsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.netportal.api..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.netportal.ui..", "dev.netportal.idp..").check(classes);
        noClasses().that().resideInAPackage("dev.netportal.ui..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.netportal.api..", "dev.netportal.idp..").check(classes);
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnModule() {
        for (String module : new String[] {"project", "partition", "network", "sharing", "machine", "firewall", "audit"}) {
            noClasses().that().resideOutsideOfPackage("dev.netportal." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.netportal." + module + ".internal..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void pureModulesUseNoSpring() {
        // the module metadata annotation (@NamedInterface on package-info) is no dependency at run time
        noClasses().that().resideInAnyPackage("dev.netportal.ipam..", "dev.netportal.firewall.render..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.springframework..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.springframework.modulith"))))
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void theFirewallAgentKnowsOnlyTheProtocol() {
        noClasses().that().resideInAPackage("dev.netportal.firewall.agent..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.netportal..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                                "dev.netportal.firewall.agent..", "dev.netportal.firewall.protocol.."))))
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework.r2dbc..", "io.r2dbc..",
                        "org.springframework.boot..", "org.springframework.context..")
                .check(classes);
    }
}
