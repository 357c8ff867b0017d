package io.clmix.cli;

import io.clmix.engine.EngineException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into clmix's exit statuses and one-line messages: bad input and usage give
 * status 2 and {@code clmix: error: <what and where>}; anything else is an internal error,
 * status 1. Stack traces appear only with {@code --verbose}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  /** Levenshtein distances up to 2 (-1 beyond): how far a suggestion may be from the typed option. */
  private static final LevenshteinDistance WITHIN_TWO_EDITS = new LevenshteinDistance(2);

  static final int INPUT_ERROR = 2;
  static final int INTERNAL_ERROR = 1;

  /**
   * A usage error: one line, even with --verbose, whose stack traces are for failures inside
   * clmix. A trace of picocli's parser says nothing about the command line that the line does
   * not, and 'clmix --verbose' (an option of the commands, not of clmix itself) gave one.
   */
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("clmix: error: " + usageLine(ex, args));
    err.flush();
    return INPUT_ERROR;
  }

  /** The one line for a usage error, without {@code clmix: error: }. */
  private static String usageLine(ParameterException ex, String[] args) {
    String path = unusablePath(ex);
    if (path != null) {
      return path;
    }
    String value = badValue(ex, args);
    if (value != null) {
      return value;
    }
    String command = notACommand(ex);
    if (command != null) {
      return command;
    }
    String option = unknownOption(ex);
    if (option != null) {
      return option;
    }
    String surplus = surplusArguments(ex);
    if (surplus != null) {
      return surplus;
    }
    return message(ex) + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
  }

  /**
   * The line for words after all of a command's parameters ({@code clmix help fit extra},
   * {@code clmix predict m.json x.csv y.csv z.csv}), or null when {@code ex} is about something
   * else: {@code unexpected argument 'extra': clmix help takes no more (see 'clmix help --help')}.
   * Picocli said "Unmatched argument at index 2", an index into a list the user never saw.
   */
  static String surplusArguments(ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.isUnknownOption()
        || u.getUnmatched().isEmpty()) {
      return null;
    }
    List<String> words = u.getUnmatched();
    String name = ex.getCommandLine().getCommandSpec().qualifiedName();
    return oneLine((words.size() == 1 ? "unexpected argument " : "unexpected arguments ")
        + words.stream().map(w -> "'" + w + "'").collect(java.util.stream.Collectors.joining(", ")) + ": " + name
        + " takes no more (see '" + name + " --help')");
  }

  /**
   * The line for a first word that is not a command ({@code clmix foo}), worded as the line for
   * no command at all ({@link Main#expectedCommands}), or null when {@code ex} is about something
   * else. Picocli calls it an "Unmatched argument at index 0", which does not say that clmix
   * expected a command there.
   */
  static String notACommand(ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    if (!(cl.getCommandSpec().userObject() instanceof Main)) {
      return null;
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.isUnknownOption() && !u.getUnmatched().isEmpty()) {
      return notACommand(cl, u.getUnmatched().get(0));
    }
    return null;
  }

  /**
   * The line for {@code word}, which is not one of {@code top}'s commands (also the answer to
   * {@code clmix help word}). Of picocli's suggestions, ordered by likeness, the line names the
   * first: for 'prdict' it also offers select and devices, which only share letters.
   */
  static String notACommand(CommandLine top, String word) {
    Set<String> commands = top.getSubcommands().keySet();
    // Picocli's suggestions for the word, as it would make them for 'clmix word'.
    List<String> suggestions = new CommandLine.UnmatchedArgumentException(top, List.of(word)).getSuggestions();
    String hint = suggestions.stream().filter(commands::contains).findFirst()
        .map(c -> " (did you mean " + c + "?)").orElse("");
    return oneLine("'" + word + "' is not a command" + hint + "; " + Main.expectedCommands(top));
  }

  /**
   * The line for a word that looks like an option and is none of the command's, or null when
   * {@code ex} is about something else: {@code unknown option '--seeed' (see 'clmix fit --help');
   * did you mean --seed?}. Picocli listed the words after it too ("Unknown options: '--seeed',
   * '3'"), though '3' was only the value the user meant for it; the line names the words that
   * look like options. Such a word is also where a file whose name starts with '-' ends up:
   * picocli then reported the file's parameter as missing ("Missing required parameter:
   * 'DATA'" for {@code clmix fit -x.csv -k 2}), which blamed the command line for leaving out
   * the very file it names. The unknown word is the cause, so it is named, with how to name
   * such a file ({@code ./-x.csv}, or after {@code --}, which ends the options).
   */
  static String unknownOption(ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    List<String> words;
    if (ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption()) {
      words = u.getUnmatched();
    } else if (ex instanceof CommandLine.MissingParameterException) {
      words = cl.getUnmatchedArguments(); // what was not matched before the missing one was found
    } else {
      return null;
    }
    List<String> options = words.stream().filter(w -> looksLikeOption(cl, w)).toList();
    if (options.isEmpty()) {
      return null;
    }
    String first = options.get(0);
    StringBuilder line = new StringBuilder(options.size() == 1 ? "unknown option " : "unknown options ");
    line.append(options.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", ")));
    line.append(" (see '").append(cl.getCommandSpec().qualifiedName()).append(" --help')");
    List<String> meant = fileName(first) ? List.of() : suggestions(cl, first);
    boolean missingFile = ex instanceof CommandLine.MissingParameterException m
        && m.getMissing().stream().anyMatch(CommandLine.Model.ArgSpec::isPositional);
    if (!meant.isEmpty()) {
      line.append("; did you mean ").append(String.join(" or ", meant)).append('?');
    } else if (options.size() == 1 && (fileName(first) || missingFile && !first.startsWith("--"))) {
      // A file's name, or a word in the place of a missing file; '--bogus' there is a typo.
      line.append("; a file whose name starts with '-' is written ./").append(first).append(", or after '--'");
    }
    return oneLine(line.toString());
  }

  /** Whether picocli takes {@code word} for an option of {@code cl}'s command (it starts with '-'). */
  private static boolean looksLikeOption(CommandLine cl, String word) {
    return new CommandLine.UnmatchedArgumentException(cl, List.of(word)).isUnknownOption();
  }

  /**
   * Whether an unknown option is rather a file name: a character no option name has (a point,
   * a slash) before any {@code =}, as in {@code -x.csv} or {@code -out/m.json}. An underscore
   * is not one: {@code --n_init} is scikit-learn's spelling of an option.
   */
  private static boolean fileName(String word) {
    int eq = word.indexOf('=');
    return !(eq < 0 ? word : word.substring(0, eq)).matches("-{1,2}[A-Za-z0-9_-]*");
  }

  /**
   * The command's options the unknown {@code word} was likely meant for, closest first: the
   * option scikit-learn's spelling names ({@code --n_init}, {@code --max_iter}), else those
   * within two edits ({@code --seeed}, {@code --ninit}), else one whose name the word extends
   * by a word ({@code --covariance-type}, {@code --covariance_type}). Picocli's own suggestions
   * share the first two letters (after the dashes), so {@code --ninit} got no {@code --n-init}
   * and {@code clmix --verbose} (an option of the commands, given before one) got --version.
   */
  private static List<String> suggestions(CommandLine cl, String word) {
    int eq = word.indexOf('=');
    String name = (eq < 0 ? word : word.substring(0, eq)).replace('_', '-');
    if (!name.startsWith("--")) {
      return List.of(); // -x is one edit from every short option: no suggestion would mean anything
    }
    List<String> names = cl.getCommandSpec().options().stream()
        .filter(o -> !o.hidden())
        .flatMap(o -> java.util.Arrays.stream(o.names()))
        .filter(n -> n.startsWith("--"))
        .toList();
    if (names.contains(name)) {
      return List.of(name);
    }
    List<String> close = names.stream()
        .filter(n -> WITHIN_TWO_EDITS.apply(name, n) >= 0)
        .sorted(java.util.Comparator.comparingInt((String n) -> WITHIN_TWO_EDITS.apply(name, n)).thenComparing(n -> n))
        .toList();
    if (!close.isEmpty()) {
      return close;
    }
    return names.stream().filter(n -> n.length() > 2 && name.startsWith(n + "-")).toList();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean verbose = verbose(parsed.originalArgs().toArray(new String[0]));
    int status;
    if (outOfMemory(ex)) {
      // A worker thread's OutOfMemoryError, passed on wrapped (the command's own is Main's).
      err.println("clmix: error: " + Main.outOfMemory());
      status = INPUT_ERROR;
    } else if (ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException) {
      // InputException and validation failures of the library: the user can fix them.
      err.println("clmix: error: " + message(ex));
      status = INPUT_ERROR;
    } else if (ex instanceof EngineException) {
      err.println("clmix: error: device failure: " + message(ex));
      status = INTERNAL_ERROR;
    } else {
      err.println("clmix: internal error: " + oneLine(withoutDeviceDetail(String.valueOf(ex), ex))
          + (verbose ? "" : " (run with --verbose for details)"));
      status = INTERNAL_ERROR;
    }
    // A usage error found while running (a ParameterException a command throws) stays one
    // line, as one found while parsing does.
    if (verbose && !(ex instanceof CommandLine.ParameterException)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /** What an empty file name is refused with: the option (or parameter) goes before it. */
  static final String EMPTY_FILE_NAME = "an empty file name; name a file";

  /** What a file name that ends in a slash is refused with: the option and the name go before it. */
  static final String DIRECTORY_NAME = "names a directory (it ends in /); name a file";

  /**
   * The converter of every file argument (every one names a file, to read or write):
   * {@link java.nio.file.Path#of}, refusing an empty name, and a name that ends in a slash,
   * which only a directory has ({@code cat x.csv/} fails with "Not a directory"); Path.of
   * would drop the slash, and an output {@code new.json/} would become a file new.json.
   */
  static java.nio.file.Path filePath(String value) {
    if (value.isEmpty()) {
      throw new CommandLine.TypeConversionException(EMPTY_FILE_NAME);
    }
    if (value.endsWith("/")) {
      throw new CommandLine.TypeConversionException(DIRECTORY_NAME);
    }
    return java.nio.file.Path.of(value);
  }

  /**
   * The converter of every floating-point option: a decimal number as the data readers take
   * one ({@link io.clmix.data.Decimal}), not Java's wider syntax.
   */
  static double decimal(String value) {
    try {
      return io.clmix.data.Decimal.parse(value);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** An integer as a person may write one: digits, or a decimal number of no fraction ({@code 1e6}). */
  private static final java.util.regex.Pattern INTEGER_TEXT =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /**
   * The converter of every {@code int} option: {@link #wholeNumber} within int's range.
   */
  static int integer(String value) {
    return (int) wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** The converter of every {@code long} option: {@link #wholeNumber} within long's range. */
  static long longInteger(String value) {
    return wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * An integer from {@code min} to {@code max}, written as digits or as a decimal number whose
   * value is whole, so a row count may be given as {@code 1e6}. Picocli's own converters said
   * {@code 'two' is not an int} and, for {@code -k 99999999999}, the same "not an int", which
   * is Java's word for a type, and wrong about a number that is merely too large.
   */
  static long wholeNumber(String value, long min, long max) {
    if (!INTEGER_TEXT.matcher(value).matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not an integer");
    }
    java.math.BigDecimal number;
    try {
      number = new java.math.BigDecimal(value);
    } catch (NumberFormatException e) { // an exponent beyond int's range, as in 1e9999999999
      boolean tiny = value.matches(".*[eE]-.*");
      throw new CommandLine.TypeConversionException("'" + value + "' is "
          + (tiny ? "not an integer" : "out of range: from " + min + " to " + max));
    }
    // Compared before any conversion: 1e999999999 is a valid BigDecimal whose digits would not fit.
    if (number.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too large: at most " + max);
    }
    if (number.compareTo(java.math.BigDecimal.valueOf(min)) < 0) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too small: at least " + min);
    }
    if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not an integer");
    }
    return number.longValue();
  }

  /**
   * The line for a value its option's converter refused, or null when {@code ex} is about
   * something else: {@code --k: 'two' is not an integer}, where picocli wrote "Invalid value for
   * option '--k': ...". A short option's value written against it takes what follows the letter,
   * so {@code -k.csv}, meant as a file, is -k with the value '.csv'; the line then says how to
   * name such a file.
   */
  static String badValue(ParameterException ex, String[] args) {
    if (!(ex.getCause() instanceof CommandLine.TypeConversionException) || ex.getArgSpec() == null
        || ex.getValue() == null) {
      return null;
    }
    CommandLine.Model.ArgSpec arg = ex.getArgSpec();
    StringBuilder line = new StringBuilder(argName(arg)).append(": ").append(ex.getCause().getMessage());
    line.append(" (see '").append(ex.getCommandLine().getCommandSpec().qualifiedName()).append(" --help')");
    if (arg.isOption()) {
      for (String name : ((CommandLine.Model.OptionSpec) arg).names()) {
        String attached = name + ex.getValue();
        if (!name.startsWith("--") && java.util.Arrays.asList(args).contains(attached) && fileName(attached)) {
          line.append("; a file whose name starts with '-' is written ./").append(attached).append(", or after '--'");
          break;
        }
      }
    }
    return oneLine(line.toString());
  }

  /**
   * The one line for a file name that Java cannot use (or that {@link #filePath} refuses: an
   * empty one, one that ends in a slash), or null when {@code ex} is about something else.
   * Java encodes file names in the locale's character set (sun.jnu.encoding), which is ASCII
   * where no locale is set or it is C or POSIX: there every file name with a letter beyond
   * ASCII is refused, and the way out is a UTF-8 locale (which ./clmix chooses itself).
   */
  static String unusablePath(ParameterException ex) {
    if (ex.getArgSpec() == null || ex.getValue() == null || ex.getArgSpec().type() != java.nio.file.Path.class) {
      return null;
    }
    if (ex.getValue().isEmpty()) {
      return argName(ex.getArgSpec()) + ": " + EMPTY_FILE_NAME;
    }
    if (ex.getValue().endsWith("/")) {
      return oneLine(argName(ex.getArgSpec()) + " " + ex.getValue() + ": " + DIRECTORY_NAME);
    }
    java.nio.file.InvalidPathException e;
    try {
      java.nio.file.Path.of(ex.getValue()); // picocli's converter keeps only the text of why it failed
      return null;
    } catch (java.nio.file.InvalidPathException invalid) {
      e = invalid;
    }
    String name = argName(ex.getArgSpec());
    String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
    String advice = java.nio.charset.Charset.isSupported(charset)
        && java.nio.charset.Charset.forName(charset).equals(java.nio.charset.StandardCharsets.UTF_8)
        ? ""
        : "; this JVM reads file names in the locale's character set, " + charset
            + ", so run it in a UTF-8 locale (LC_ALL=C.UTF-8), as ./clmix does";
    return oneLine(name + ": '" + ex.getValue() + "' cannot be used as a file name: " + e.getReason() + advice);
  }

  /** An option's longest name, or a positional parameter's label ({@code DATA}). */
  private static String argName(CommandLine.Model.ArgSpec arg) {
    return arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
  }

  private static boolean outOfMemory(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  static boolean verbose(String[] args) {
    for (String a : args) {
      if (a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one line that stands for {@code ex}: its message without the multi-line detail a device
   * adds (an {@link EngineException}'s kernel options and build log, shown with --verbose only),
   * and with every other control character escaped ({@link #oneLine}).
   */
  static String message(Throwable ex) {
    return ex.getMessage() == null ? "(no message)" : oneLine(withoutDeviceDetail(ex.getMessage(), ex));
  }

  /**
   * {@code s} with the lines after the first of every device message in {@code ex}'s causes cut
   * to {@code " ..."}. Only a device's message has such lines by design (a kernel's build log,
   * hundreds of lines); any other line break in a message is part of what it quotes (a file
   * name, a value) and must stay, escaped.
   */
  private static String withoutDeviceDetail(String s, Throwable ex) {
    Throwable t = ex;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      String m = t.getMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      if (t instanceof EngineException && nl >= 0) {
        s = s.replace(m, m.substring(0, nl) + " ...");
      }
    }
    return s;
  }

  /**
   * A device's text (a fallback warning, which may end in a kernel's build log) as one line:
   * cut at the first line break (the rest is shown with --verbose), other control characters
   * escaped.
   */
  static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return oneLine(nl < 0 ? s : s.substring(0, nl) + " ...");
  }

  /**
   * {@code s} as one line that says all it says: messages quote file names and values, which may
   * hold line breaks and other control characters, and a line break there would cut the line
   * (and a script reading the first line of stderr would lose the line, column and value after
   * it). Each control character is escaped: {@code \n}, {@code \r} and {@code \t} as those two
   * characters, the other C0 and C1 controls and DEL as {@code \xNN}, the Unicode line and
   * paragraph separators as a backslash, {@code u} and four hex digits. Backslashes are left as they are: the readers already show
   * bytes of a value that way ({@code \x93NUMPY}), which escaping them again would garble.
   */
  static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String e = escape(c);
      if (e != null) {
        b.append(e);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** How {@link #oneLine} writes {@code c}, or null when it stays as it is. */
  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\u2028':
      case '\u2029':
        return String.format(Locale.ROOT, "\\u%04x", (int) c);
      default:
        boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
        return control ? String.format(Locale.ROOT, "\\x%02x", (int) c) : null;
    }
  }
}
