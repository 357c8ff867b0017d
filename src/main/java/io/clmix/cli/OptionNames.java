package io.clmix.cli;

import io.clmix.data.InputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The library names parameters as Java does ({@code regCovar}); the command line as its
 * options ({@code --reg-covar}). An {@link InputException} from the library that begins with a
 * parameter's name is reworded here with the option's, so {@code clmix fit -k 0} answers
 * {@code --k: 0 is not allowed; ...} rather than naming a field the user never typed.
 */
final class OptionNames {
  private final Map<String, String> names = new LinkedHashMap<>();

  private OptionNames() {}

  /** The names of {@code clmix fit}; {@code initFile} is the --init value, named for file problems. */
  static OptionNames forFit(String initFile) {
    OptionNames n = new OptionNames();
    n.names.put("k", "--k");
    n.names.put("tol", "--tol");
    n.names.put("regCovar", "--reg-covar");
    n.names.put("nInit", "--n-init");
    n.names.put("maxIter", "--max-iter");
    n.names.put("covarianceType", "--covariance");
    n.names.put("init", "--init");
    n.names.put("meansInit", initFile == null ? "--init" : "--init " + initFile);
    return n;
  }

  /**
   * The names of {@code clmix select}: the numbers it passes to every fit ({@code -k} and
   * {@code --covariance} are lists there, checked by the command itself).
   */
  static OptionNames forSelect() {
    OptionNames n = new OptionNames();
    n.names.put("tol", "--tol");
    n.names.put("regCovar", "--reg-covar");
    n.names.put("nInit", "--n-init");
    n.names.put("maxIter", "--max-iter");
    return n;
  }

  /** {@code e} with its leading library name replaced by the option, or {@code e} itself. */
  InputException rename(InputException e) {
    String m = e.getMessage();
    for (Map.Entry<String, String> n : names.entrySet()) {
      if (m != null && m.startsWith(n.getKey() + ": ")) {
        InputException renamed = new InputException(n.getValue() + m.substring(n.getKey().length()), e.getCause());
        renamed.setStackTrace(e.getStackTrace());
        return renamed;
      }
    }
    return e;
  }
}
