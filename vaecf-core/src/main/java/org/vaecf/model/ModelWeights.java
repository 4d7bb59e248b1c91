package org.vaecf.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The parameters of a trained network, in the network's order, immutable. */
public final class ModelWeights {
  private final List<NamedTensor> tensors;
  private final Map<String, NamedTensor> byName;

  /**
   * @throws IllegalArgumentException if two tensors share a name
   */
  public ModelWeights(List<NamedTensor> tensors) {
    this.tensors = List.copyOf(tensors);
    Map<String, NamedTensor> map = new LinkedHashMap<>();
    for (NamedTensor tensor : this.tensors) {
      if (map.put(tensor.name(), tensor) != null) {
        throw new IllegalArgumentException("tensor name '" + tensor.name() + "' appears twice");
      }
    }
    this.byName = map;
  }

  /** All tensors in network order. */
  public List<NamedTensor> tensors() {
    return tensors;
  }

  /**
   * The tensor named {@code name}.
   *
   * @throws NoSuchElementException naming the missing tensor
   */
  public NamedTensor get(String name) {
    NamedTensor tensor = byName.get(name);
    if (tensor == null) {
      throw new NoSuchElementException("no tensor named '" + name + "' (have " + byName.keySet() + ")");
    }
    return tensor;
  }

  /** Total number of floats. */
  public long parameterCount() {
    long count = 0;
    for (NamedTensor tensor : tensors) {
      count += tensor.size();
    }
    return count;
  }
}
