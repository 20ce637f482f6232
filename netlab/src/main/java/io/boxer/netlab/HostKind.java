package io.boxer.netlab;

/** The role of a {@link LabHost} in the lab topology. Routers are not hosts. */
public enum HostKind {
  /** The rendezvous host on the public segment (stand-in for EC2 running the seed). */
  SEED,
  /**
   * A function host on its own private segment behind a NAT router, its own unless the lab's routers are
   * shared (stand-in for AWS Lambda).
   */
  FUNCTION,
  /** A VM host directly on the public segment (stand-in for EC2). */
  VM
}
