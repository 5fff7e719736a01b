/** A mistake in how `imbi` was called: printed with a pointer to the help, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The command whose help to point at; none for an unknown command. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
