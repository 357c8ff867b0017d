package io.clmix.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.Dataset;
import io.clmix.engine.EngineSelector;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
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

/** {@code clmix score}: how well a saved model fits a data file. */
@Command(name = "score", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Score DATA under MODEL: the mean log-likelihood (with BIC and AIC) for a gmm model, "
        + "the inertia for a kmeans model.")
final class ScoreCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.json).")
  Path modelFile;

  @Parameters(index = "1", paramLabel = "DATA", description = "Data file (.npy or .csv).")
  Path data;

  @Mixin
  HeaderOption header;

  @Option(names = "--weights", paramLabel = "FILE", description = "Sample weights, one per row.")
  Path weights;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;

  @Mixin
  DeviceOption device;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    header.choice();
    // No outputs; the inputs are registered for the check that no pipe is read twice.
    new Outputs().reading("the model file", modelFile).reading("the data file", data).reading("--weights", weights);
    Model model = ModelJson.read(modelFile);
    // The weights are read first, so that the data are centred for them.
    Weights.Early early = Weights.readEarly(weights);
    Dataset ds = header.read(data, spec.commandLine().getErr(), early.values());
    PredictCommand.checkColumns(model, ds, modelFile, data);
    ds = early.attach(ds);
    ObjectNode o = Printing.JSON.createObjectNode();
    o.put("algo", model.algo());
    o.put("n", ds.rows());
    o.put("d", ds.cols());
    try {
      try (EngineSelector.Selection sel = device.open(spec.commandLine().getErr())) {
        o.put("device", sel.engine().info().id());
        if (model instanceof GaussianMixtureModel gm) {
          double total = gm.totalLogLikelihood(ds, sel.engine());
          double mean = total / ds.totalWeight();
          double bic = gm.bic(total, ds.totalWeight());
          double aic = gm.aic(total);
          out.printf("mean log-likelihood %.8g (total %.8g), BIC %.8g, AIC %.8g%n", mean, total, bic, aic);
          o.put("meanLogLikelihood", mean);
          o.put("totalLogLikelihood", total);
          o.put("bic", bic);
          o.put("aic", aic);
        } else {
          double inertia = ((KMeansModel) model).inertia(ds, sel.engine());
          out.printf("inertia %.8g (mean squared distance %.8g)%n", inertia, inertia / ds.totalWeight());
          o.put("inertia", inertia);
          o.put("meanSquaredDistance", inertia / ds.totalWeight());
        }
      }
    } catch (RowOutOfRange e) {
      throw e.inFile(data);  // the row, and which file it is in
    }
    if (json) {
      out.println(Printing.compact(o));
    }
    out.flush();
    return 0;
  }
}
