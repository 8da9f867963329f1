package dev.netportal.demo;

import dev.netportal.common.NatType;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.FabricSettings;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/** Development only: the demo projects that the development sign-in's users belong to, and two partitions. Idempotent. */
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

    static List<PartitionSpec> partitions() {
        return List.of(partition("fra-1", "Frankfurt 1", "10.0.0.0/16"), partition("nbg-1", "Nuremberg 1", "10.1.0.0/16"));
    }

    private static PartitionSpec partition(String id, String name, String pool) {
        return new PartitionSpec(id, name, "Demo partition", Prefix.parse(pool), Optional.empty(), 22, 16,
                Map.of("c1-large", 20, "s2-xlarge", 5),
                List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("185.1.2.0/24")),
                        List.of(Prefix.parse("0.0.0.0/0")), NatType.IPV4_MASQUERADE)),
                Optional.of(new PartitionSpec.Proxy("proxy." + id + ".example", 31280)))
                // the firewalls' sessions with the leaves: 3 s keepalives, 9 s hold time, tenant prefixes no-export
                .withFabric(FabricSettings.DEFAULTS);
    }

    private final ProjectService projects;
    private final PartitionService partitionService;

    DemoData(ProjectService projects, PartitionService partitionService) {
        this.projects = projects;
        this.partitionService = partitionService;
    }

    @Override
    public void run(ApplicationArguments args) {
        long created = Flux.fromIterable(PROJECTS)
                .concatMap(p -> projects.createIfAbsent(Actor.system(), new ProjectId(p.id()), p.name(), p.description()))
                .filter(Boolean::booleanValue)
                .count()
                .block();
        long partitionsCreated = Flux.fromIterable(partitions())
                .concatMap(p -> partitionService.createIfAbsent(Actor.system(), p))
                .filter(Boolean::booleanValue)
                .count()
                .block();
        log.info("Demo data: {} of {} demo projects and {} of {} partitions created (the rest existed)", created,
                PROJECTS.size(), partitionsCreated, partitions().size());
    }
}
