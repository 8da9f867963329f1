/**
 * Rate limits: token buckets per caller, per client address, per sign-in and per firewall agent, so that a runaway
 * script or a flood is stopped within a second while people and well-behaved scripts never notice. The API and the
 * UI ask {@link dev.netportal.limits.RateLimits} before any work; see {@code docs/security.md}.
 */
package dev.netportal.limits;
