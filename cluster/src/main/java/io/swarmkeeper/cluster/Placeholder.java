package io.swarmkeeper.cluster;

final class Placeholder {}
