package dev.netportal.bench;

import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.firewall.render.FirewallRenderer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rendering time per firewall, for a firewall with a private network, the internet and 1, 10 or 50 shared
 * networks. Not part of the test run; run it with
 * {@code ./mvnw test -Dtest=RenderBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines.
 */
class RenderBenchmark {

    @Test
    void measure() {
        for (int shared : new int[] {1, 10, 50}) {
            List<FirewallInput.Leg> legs = new ArrayList<>();
            legs.add(new FirewallInput.Leg(FirewallInput.Role.PRIMARY, "web", 101, List.of("10.0.4.0/22"), "10.0.4.2", false,
                    List.of(), null));
            legs.add(new FirewallInput.Leg(FirewallInput.Role.EXTERNAL, "internet", 100, List.of("185.1.2.0/24"), "185.1.2.7",
                    true, List.of("0.0.0.0/0"), "185.1.2.1"));
            for (int i = 0; i < shared; i++) {
                legs.add(new FirewallInput.Leg(FirewallInput.Role.SHARED, "shared-" + i, 200 + i,
                        List.of("10.1." + i + ".0/24"), "10.1." + i + ".9", i % 2 == 0, List.of(), null));
            }
            FirewallInput input = new FirewallInput("edge", legs);
            for (int i = 0; i < 2_000; i++) {
                FirewallRenderer.render(input);
            }
            int n = 20_000;
            long start = System.nanoTime();
            int length = 0;
            for (int i = 0; i < n; i++) {
                length += FirewallRenderer.render(input).hash().length();
            }
            double micros = (System.nanoTime() - start) / 1e3 / n;
            System.out.printf("BENCH render_us_per_firewall shared=%d us=%.1f (%d)%n", shared, micros, length % 7);
        }
    }
}
