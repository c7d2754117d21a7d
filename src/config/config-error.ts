/** One bad setting: the variable and a sentence that names it and says what to do. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * A bad environment variable: start-up stops (exit code 2) with this error. A parser throws one
 * for its own variable; loadConfig gathers every problem into one, so the operator sees them all
 * at once instead of fixing them one restart at a time. The message holds one problem per line.
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(message: string, variable = "", problems?: ConfigProblem[]) {
    super(message);
    this.problems = problems ?? [{ variable, problem: message }];
  }

  /** Every problem in one error. */
  static of(problems: ConfigProblem[]): ConfigError {
    return new ConfigError(problems.map((entry) => entry.problem).join("\n"), "", problems);
  }
}
