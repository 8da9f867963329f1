package dev.netportal.demo;

import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.ProjectService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/** Development only: the demo projects that the development sign-in's users belong to. Idempotent. */
@Component
@Profile("dev")
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    record DemoProject(String id, String name, String description) {
    }

    static final List<DemoProject> PROJECTS = List.of(
            new DemoProject("storage", "Storage", "Persistent storage service shared with the partition"),
            new DemoProject("tenant-a", "Tenant A", "A consumer team"),
            new DemoProject("tenant-b", "Tenant B", "Another consumer team"));

    private final ProjectService projects;

    DemoData(ProjectService projects) {
        this.projects = projects;
    }

    @Override
    public void run(ApplicationArguments args) {
        long created = Flux.fromIterable(PROJECTS)
                .concatMap(p -> projects.createIfAbsent(Actor.system(), new ProjectId(p.id()), p.name(), p.description()))
                .filter(Boolean::booleanValue)
                .count()
                .block();
        log.info("Demo data: {} of {} demo projects created (the rest existed)", created, PROJECTS.size());
    }
}
