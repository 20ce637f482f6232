package io.boxer.bench.paper;

/**
 * The paper's six connection types: who connects to whom, and whether Boxer is in the path. "Native" is the same
 * path without Boxer, which a function can only have as a client (nothing can connect into a function natively).
 * Each Boxer type names the native type its figures are divided by.
 */
enum ConnectionType {
  VM_TO_VM_NATIVE("v2v-native", "VM-to-VM-native", null),
  FUNCTION_TO_VM_NATIVE("f2v-native", "function-to-VM-native", null),
  VM_TO_VM("v2v", "VM-to-VM", VM_TO_VM_NATIVE),
  FUNCTION_TO_VM("f2v", "function-to-VM", FUNCTION_TO_VM_NATIVE),
  VM_TO_FUNCTION("v2f", "VM-to-function", FUNCTION_TO_VM_NATIVE),
  FUNCTION_TO_FUNCTION("f2f", "function-to-function", FUNCTION_TO_VM_NATIVE);

  private final String id;
  private final String title;
  private final ConnectionType reference;

  ConnectionType(String id, String title, ConnectionType reference) {
    this.id = id;
    this.title = title;
    this.reference = reference;
  }

  /** The short name in result files and on the command line, e.g. {@code f2f}. */
  String id() {
    return id;
  }

  String title() {
    return title;
  }

  /** The native type a ratio is taken against: itself for a native type. */
  ConnectionType reference() {
    return reference == null ? this : reference;
  }

  static ConnectionType byId(String id) {
    return EnumIds.find(values(), ConnectionType::id, "type", id);
  }
}
