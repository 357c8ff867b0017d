package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.EngineSelector;
import io.clmix.model.Model;
import io.clmix.model.ModelJson;
import io.clmix.plot.Figure;
import io.clmix.plot.ModelPicture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clmix plot}: the picture of a saved model on data: points coloured by predicted
 * cluster, centres or means, and a mixture's ellipses; data of more than two columns are
 * drawn on their first two principal components. See {@link ModelPicture}.
 */
@Command(name = "plot", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Draw MODEL (written by 'clmix fit --model-out') on DATA: points coloured by predicted cluster, "
        + "K-means centres or mixture means with 1-sigma and 2-sigma ellipses. More than two columns are drawn "
        + "on the first two principal components; one column as a histogram."})
final class PlotCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.json).")
  Path modelFile;

  @Parameters(index = "1", paramLabel = "DATA", description = "Data file (.npy or .csv) with the model's number of columns.")
  Path data;

  @Mixin
  HeaderOption header;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The picture: a .png or .svg file.")
  Path out;

  @Option(names = "--width", paramLabel = "PX", defaultValue = "1100", description = "Width in pixels. Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--height", paramLabel = "PX",
      description = "Height in pixels. Default: what shows the data at equal scales on both axes, 500 to 1000.")
  Integer height;

  @Option(names = "--points", paramLabel = "N", defaultValue = "5000",
      description = "Points drawn at most (a sample spread over the whole file). Default: ${DEFAULT-VALUE}.")
  int points;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the sample. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Mixin
  DeviceOption device;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Figure.Format.of(out, "--out");
    if (points < 1) {
      throw InputException.parameter("--points", points, "an integer >= 1");
    }
    if (width < 200 || width > 20000) {
      throw InputException.parameter("--width", width, "a width of 200 to 20000 pixels");
    }
    if (height != null && (height < 150 || height > 20000)) {
      throw InputException.parameter("--height", height, "a height of 150 to 20000 pixels");
    }
    header.choice();
    new Outputs().reading("the model file", modelFile).reading("the data file", data).plan("--out", out);
    Model model = ModelJson.read(modelFile);
    Dataset ds = header.read(data, spec.commandLine().getErr());
    PredictCommand.checkColumns(model, ds, modelFile, data);
    try (EngineSelector.Selection sel = device.open(spec.commandLine().getErr())) {
      Figure fig = ModelPicture.of(model, ds, sel.engine(), points, seed, data.getFileName().toString());
      fig.write(out, width, height != null ? height : fig.naturalHeight(width, 500, 1000), "--out");
    }
    AtomicOutput.afterCommit(() -> {
      stdout.printf("picture: %s%n", out);
      stdout.flush();
    });
    return 0;
  }
}
