/** The pure renderer: a firewall's networks in, FRR and nftables text out (no Spring, no database). */
@NamedInterface("render")
package dev.netportal.firewall.render;

import org.springframework.modulith.NamedInterface;
