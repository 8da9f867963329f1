package dev.netportal;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The modules of {@code dev.netportal} as Spring Modulith sees them: no cycles between modules, and a module
 * reaches another only through its root package (or a named interface it declares).
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of("dev.netportal");

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersInterfaces() {
        MODULES.verify();
    }
}
