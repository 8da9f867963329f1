package dev.netportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The modules of {@code dev.netportal} as Spring Modulith sees them: no cycles between modules, and a module
 * reaches another only through its root package (or a named interface it declares). The module diagrams in
 * {@code docs/modules/} are generated from the same model; after a change of dependencies, write them anew with
 * {@code ./mvnw test -Dtest=ModularityTest -Dnetportal.write-docs=true}.
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of("dev.netportal");
    static final Path DOCS = Path.of("docs/modules");

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersInterfaces() {
        MODULES.verify();
    }

    @Test
    void theModuleDiagramsInDocsAreGeneratedFromTheModules() throws IOException {
        Path generated = Path.of("target/modulith-docs");
        if (Files.isDirectory(generated)) {
            try (var old = Files.list(generated)) {
                for (Path file : old.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        Files.writeString(generated.resolve("README.md"), mermaid());
        try (var files = Files.list(generated)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".puml") || f.toString().endsWith(".md")).toList()) {
                Path documented = DOCS.resolve(file.getFileName());
                if (Boolean.getBoolean("netportal.write-docs")) {
                    Files.createDirectories(DOCS);
                    Files.write(documented, stable(Files.readAllLines(file)));
                }
                // PlantUML lists the relations in no fixed order: compare them as sets of lines
                assertThat(documented).as(documented + " is missing: regenerate it (see this test's comment)").exists();
                assertThat(Files.readAllLines(documented).stream().sorted().toList())
                        .as(documented + " is out of date: regenerate it (see this test's comment)")
                        .isEqualTo(Files.readAllLines(file).stream().sorted().toList());
            }
        }
        try (var kept = Files.list(DOCS); var written = Files.list(generated)) {
            assertThat(kept.map(Path::getFileName).map(Path::toString).sorted().toList())
                    .as("docs/modules holds exactly the generated files (regenerate; delete what is no longer generated)")
                    .isEqualTo(written.map(Path::getFileName).map(Path::toString)
                            .filter(name -> name.endsWith(".puml") || name.endsWith(".md")).sorted().toList());
        }
    }

    /** The lines with each run of relations sorted, so that writing the diagrams again changes nothing. */
    static List<String> stable(List<String> lines) {
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("Rel(")) {
                run.add(line);
                continue;
            }
            run.sort(null);
            out.addAll(run);
            run.clear();
            out.add(line);
        }
        run.sort(null);
        out.addAll(run);
        return out;
    }

    /** The module graph as a Mermaid flowchart, which renders where the docs are read. */
    static String mermaid() {
        String edges = StreamSupport.stream(MODULES.spliterator(), false)
                .sorted(Comparator.comparing(ApplicationModule::getName))
                .flatMap(module -> module.getDirectDependencies(MODULES).uniqueModules()
                        .map(ApplicationModule::getName).sorted().distinct()
                        .map(target -> "    " + module.getName() + " --> " + target))
                .collect(Collectors.joining("\n"));
        return """
                # Modules

                Generated from the code by `ModularityTest` (Spring Modulith's model of `dev.netportal`): each arrow is a
                module that uses another; the test fails on a cycle. `components.puml` and `module-*.puml` are the same
                model as PlantUML (C4) diagrams. How the modules work together: [../architecture.md](../architecture.md).

                ```mermaid
                flowchart LR
                """ + edges + "\n```\n";
    }
}
