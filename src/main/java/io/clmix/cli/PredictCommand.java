package io.clmix.cli;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.EngineSelector;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.Model;
import io.clmix.model.ModelJson;
import io.clmix.model.RowOutOfRange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clmix predict}: the cluster of every row of a data file under a saved model. */
@Command(name = "predict", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Label every row of DATA with its cluster under MODEL (a model file written by 'clmix fit --model-out').")
final class PredictCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.json).")
  Path modelFile;

  @Parameters(index = "1", paramLabel = "DATA", description = "Data file (.npy or .csv) with the model's number of columns.")
  Path data;

  @Mixin
  HeaderOption header;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the labels here (one per line, or .npy) instead of stdout.")
  Path outFile;

  @Option(names = "--proba", description = "gmm models: write each row's component probabilities instead of labels: "
      + "K per line, separated by commas (tabs in a .tsv FILE, spaces in a .txt FILE), or a float32 N x K .npy.")
  boolean proba;

  @Mixin
  DeviceOption device;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Outputs outputs = new Outputs().reading("the model file", modelFile).reading("the data file", data)
        .planRows("--out", outFile, proba ? "the probabilities" : "the labels",
            proba ? "rows of numbers (or .npy)" : "one label per line (or .npy)");
    header.choice();
    Model model = ModelJson.read(modelFile);
    // Before the data, which may take long to read: the model alone decides this.
    if (proba && !(model instanceof GaussianMixtureModel)) {
      throw new InputException("--proba: " + modelFile + " is a " + model.algo()
          + " model; probabilities need a Gaussian mixture (gmm) model");
    }
    Dataset ds = header.read(data, spec.commandLine().getErr());
    checkColumns(model, ds, modelFile, data);
    try {
      try (EngineSelector.Selection sel = device.open(spec.commandLine().getErr())) {
        if (proba) {
          Probabilities.write((GaussianMixtureModel) model, ds, sel.engine(), outFile, out);
          out.flush();
          return 0;
        }
        // Streamed chunk by chunk: n labels never sit in memory (data may be larger than the heap).
        if (outFile != null) {
          LabelFiles.write(model, ds, sel.engine(), outFile);
        } else {
          LabelFiles.print(model, ds, sel.engine(), out);
        }
        out.flush();
      }
    } catch (RowOutOfRange e) {
      throw e.inFile(data);  // the row, and which file it is in
    } catch (StandardOutputClosed e) {
      return 0; // Main.run tells a reader that went away (success) from a full disk (an error)
    }
    return 0;
  }

  static void checkColumns(Model model, Dataset ds, Path modelFile, Path data) {
    if (model.d() != ds.cols()) {
      throw new InputException(data + ": " + ds.cols() + (ds.cols() == 1 ? " column" : " columns") + ", but the model "
          + modelFile + " was fitted on " + model.d());
    }
  }
}
