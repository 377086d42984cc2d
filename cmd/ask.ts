/**
 * Terminal questions for the entry point: one line read from stdin, null at end of input (Ctrl-D) or when the
 * process is stopping. Only the entry point uses this, and only when stdin and stdout are terminals.
 */
import { createInterface } from "node:readline";

/** terminalAsk returns CliIO.ask for the process's terminal. */
export function terminalAsk(signal: AbortSignal): (question: string) => Promise<string | null> {
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      let answered = false;
      const finish = (answer: string | null) => {
        if (answered) return;
        answered = true;
        signal.removeEventListener("abort", onAbort);
        rl.close();
        resolve(answer);
      };
      const onAbort = () => finish(null);
      signal.addEventListener("abort", onAbort, { once: true });
      rl.once("line", (line) => finish(line));
      rl.once("close", () => finish(null));
      // Ctrl-C at the prompt cancels like end of input, instead of being swallowed by readline.
      rl.once("SIGINT", () => finish(null));
      rl.setPrompt(question);
      rl.prompt();
    });
}
