package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.Workload;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A workload name such as {@code mix}; an unknown one is a usage error listing the workloads. */
final class WorkloadConverter implements ITypeConverter<Workload> {
  @Override
  public Workload convert(String value) {
    try {
      return Workload.fromCliName(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
