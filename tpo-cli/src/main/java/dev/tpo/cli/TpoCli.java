package dev.tpo.cli;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.cli.run.RunnerFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tpo} command: {@code tpo run} and {@code tpo report}. {@link #main(String[])} is the
 * jar's entry point; {@link #commandLine} builds the command tree for tests and embedding.
 *
 * <p>Thread-safe: static methods only; each command line built is for one invocation.
 */
public final class TpoCli {
  private TpoCli() {}

  /**
   * The root command, {@code tpo} without a subcommand, in a class of its own: picocli reads the
   * annotations of every method of a command's class, and {@code TpoCli}'s are many (issue 21).
   * Not thread-safe: one instance per invocation.
   */
  @Command(
      name = "tpo",
      mixinStandardHelpOptions = true,
      versionProvider = TpoCli.Version.class,
      description = "Test-Time Preference Optimization over a dataset: sample, score, critique"
          + " and rewrite answers with your LLM server, then look at the results.")
  static final class Root implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * {@code tpo} without a subcommand: the usage on stderr, and exit status 2.
     *
     * @return {@link ExitCodes#USAGE}
     */
    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  /**
   * Runs the command and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    preloadForServer(args, System.getenv());
    // picocli's first CommandLine otherwise looks for Groovy's Closure class, which no jar here
    // has: a search that opens the 48,000-entry jar on this thread before anything else needs
    // it (0.03 s of a run's start, issue 21); tpo declares no Groovy closures
    System.setProperty("picocli.disable.closures", "true");
    configureLogging(Arrays.asList(args).contains("--verbose"));
    int code = commandLine(RunCommand.defaultFactory(), System.getenv(),
        args.length == 0 ? "" : args[0]).execute(args);
    System.exit(code);
  }

  /**
   * For a {@code tpo run} against a policy server ({@code --base-url}, {@code --ip}, {@code
   * --port} or {@code TPO_BASE_URL}), looks the reward scorers' providers up and starts {@link
   * OpenAiCompatibleModel#preload()} on a daemon thread, so the jar is open and the JSON writer
   * and reader, the SDK's retrying client, OkHttp's request classes and the JDK's security
   * providers are ready, on the second core, while this thread parses the command line and reads
   * the data (issue 21: the first chat request sooner). Other commands, and runs of an in-process
   * model, load none of it. A failure there is ignored: the first request does the same work again
   * and reports what fails.
   *
   * @return whether the thread was started
   */
  static boolean preloadForServer(String[] args, Map<String, String> env) {
    if (args.length == 0 || !"run".equals(args[0])) {
      return false;
    }
    String url = env.get("TPO_BASE_URL");
    boolean server = url != null && !url.isBlank();
    for (String a : args) {
      server |= a.equals("--base-url") || a.startsWith("--base-url=") || a.equals("--ip")
          || a.startsWith("--ip=") || a.equals("--port") || a.startsWith("--port=");
    }
    if (!server) {
      return false;
    }
    Thread t = new Thread(() -> {
      try {
        // first the reward scorers' providers, which the run looks up by service loader soon:
        // their search opens the jar (its 48,000 entries: 0.03 s), here rather than on the
        // main thread when classes come from the launcher's class-data archive
        dev.tpo.core.reward.RewardScorers.providers();
        OpenAiCompatibleModel.preload();
      } catch (RuntimeException | LinkageError ignored) {
        // the first request does this work again and reports what fails
      }
    }, "tpo-preload");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /**
   * The command tree.
   *
   * @param factory connects {@code tpo run} to its servers
   * @param env the environment ({@code TPO_API_KEY} is read from it)
   * @return the command line, ready to {@code execute}
   */
  public static CommandLine commandLine(RunnerFactory factory, Map<String, String> env) {
    return commandLine(factory, env, "");
  }

  /**
   * The command tree with only the subcommand the command line names, when it names one: picocli
   * builds the model of every subcommand it is given up front (reflection over every option), so
   * {@code tpo run} does not pay for {@code tpo report}'s nor {@code tpo help}'s (issue 21). Any
   * other first argument ({@code --help}, {@code help}, a typo, none) gets the whole tree, for its
   * usage and suggestions.
   *
   * @param factory connects {@code tpo run} to its servers
   * @param env the environment
   * @param first the command line's first argument, or ""
   * @return the command line, ready to {@code execute}
   */
  static CommandLine commandLine(RunnerFactory factory, Map<String, String> env, String first) {
    CommandLine cl = new CommandLine(new Root());
    boolean all = !first.equals("run") && !first.equals("report");
    if (all) {
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
    if (all || first.equals("run")) {
      cl.addSubcommand("run", new RunCommand(factory, env));
    }
    if (all || first.equals("report")) {
      cl.addSubcommand("report", new ReportCommand());
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOverwrittenOptionsAllowed(true);
    cl.setParameterExceptionHandler(Handlers.INSTANCE);
    cl.setExecutionExceptionHandler(Handlers.INSTANCE);
    return cl;
  }

  /**
   * The exception handlers, a class rather than lambdas: picocli's interfaces are Java 5 class
   * files, and a lambda of one makes the JVM link it when it writes the launcher's class-data
   * archive, which then leaves it and picocli's own handlers out (issue 21).
   */
  private enum Handlers implements CommandLine.IParameterExceptionHandler,
      CommandLine.IExecutionExceptionHandler {
    INSTANCE;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      return badParameters(ex, args);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine,
        CommandLine.ParseResult parseResult) {
      PrintWriter err = commandLine.getErr();
      err.println("tpo: " + RunCommand.messageOf(ex));
      err.flush();
      return ExitCodes.USAGE;
    }
  }

  /**
   * A bad command line: picocli's message with every option named by its main name (not an alias
   * of the reference script), and a one-line hint instead of the whole usage.
   */
  private static int badParameters(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandName().equals("tpo") ? "tpo: " + mainNames(ex.getMessage(), cl)
        : "tpo " + cl.getCommandName() + ": " + mainNames(ex.getMessage(), cl));
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * Replaces every option alias in a message by the option's first (main) name.
   *
   * @param message picocli's message
   * @param cl the command whose options are named
   * @return the message with main names only
   */
  static String mainNames(String message, CommandLine cl) {
    if (message == null) {
      return "bad command line";
    }
    List<String[]> pairs = new ArrayList<>();
    for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      String main = o.names()[0];
      for (String alias : o.names()) {
        if (!alias.equals(main)) {
          pairs.add(new String[] {alias, main});
        }
      }
    }
    pairs.sort((a, b) -> Integer.compare(b[0].length(), a[0].length()));
    String out = message;
    for (String[] p : pairs) {
      out = out.replaceAll("(?<![\\w-])" + java.util.regex.Pattern.quote(p[0]) + "(?![\\w-])",
          java.util.regex.Matcher.quoteReplacement(p[1]));
    }
    return out;
  }

  private static void configureLogging(boolean verbose) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("ai.djl.offline", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Reads the version from the jar manifest. Stateless; thread-safe. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TpoCli.class.getPackage().getImplementationVersion();
      return new String[] {"tpo " + (v == null ? "(development build)" : v)};
    }
  }
}
