package io.boxer.examples.replicated;

/** A command line or environment that cannot be run: the message says which value and what was expected. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
