/**
 * Boot class path helpers of the Boxer agent: {@link io.boxer.agent.bootstrap.BoxerHooks}, called by the code
 * the agent inserts into {@code sun.nio.ch.Net}, and the {@link io.boxer.agent.bootstrap.SocketHook} it
 * forwards to. JDK-only; these classes must be loaded by the boot class loader only (their jar,
 * {@code boxer-agent-bootstrap.jar}, sits next to the agent jar, whose {@code Boot-Class-Path} names it), so
 * java.base can see them and there is exactly one copy per JVM.
 */
package io.boxer.agent.bootstrap;
