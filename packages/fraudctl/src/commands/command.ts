/** One `fraudctl` subcommand. `run` gets the arguments after its name and resolves to the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
