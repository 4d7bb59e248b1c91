package org.vaecf.cli;

import org.vaecf.model.ModelType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code mult-vae} / {@code mult-dae}. */
final class ModelTypeConverter implements ITypeConverter<ModelType> {
  @Override
  public ModelType convert(String value) {
    try {
      return ModelType.fromCliName(value.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
