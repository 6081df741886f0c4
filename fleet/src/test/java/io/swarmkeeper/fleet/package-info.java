/** Process-level tests of a fleet of swarmkeeper nodes on loopback and in network namespaces. */
package io.swarmkeeper.fleet;
