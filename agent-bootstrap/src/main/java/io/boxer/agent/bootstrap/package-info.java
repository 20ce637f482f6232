/**
 * Boot class path helpers of the Boxer agent: {@link io.boxer.agent.bootstrap.BoxerHooks}, called by advice
 * inlined into {@code sun.nio.ch.Net}, and the {@link io.boxer.agent.bootstrap.SocketHook} it forwards to.
 * JDK-only; these classes must be loaded by the boot class loader only (the agent appends them to the boot
 * class path at premain), so java.base can see them and there is exactly one copy per JVM.
 */
package io.boxer.agent.bootstrap;
