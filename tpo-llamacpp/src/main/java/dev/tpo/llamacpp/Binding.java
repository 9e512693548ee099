package dev.tpo.llamacpp;

import de.kherud.llama.InferenceParameters;
import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the binding does not expose publicly. {@code InferenceParameters} has no setter for
 * llama.cpp's {@code id_slot}; its JSON map is reached by reflection (the binding is on the class
 * path, not a named module). When that fails, requests go unpinned and llama.cpp picks the slot.
 * Stateless; thread-safe.
 */
final class Binding {
  private static final Logger LOG = LoggerFactory.getLogger(Binding.class);
  private static final Field PARAMETERS = parametersField();

  private Binding() {}

  private static Field parametersField() {
    try {
      Field f = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot pin llama.cpp slots ({}); prompt-cache figures are estimates", e.toString());
      return null;
    }
  }

  /** Whether sequences can be pinned to slots. */
  static boolean canPinSlots() {
    return PARAMETERS != null;
  }

  @SuppressWarnings("unchecked")
  static void pinSlot(InferenceParameters p, int slot) {
    if (PARAMETERS == null) {
      return;
    }
    try {
      ((Map<String, String>) PARAMETERS.get(p)).put("id_slot", Integer.toString(slot));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
