import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Runs `fn` while holding an exclusive flock(1) on `file` (the same lock the shell's
 * `flock FILE cmd` takes, so make targets and other helpers' runs queue on it). A `flock`
 * child holds the lock and a `cat` keeps it alive until its stdin closes; `onWait` is
 * called when the lock is busy.
 */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  onWait?: () => void,
): Promise<T> {
  const holder = spawn("flock", [file, "sh", "-c", "echo locked; exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waitTimer = setTimeout(() => onWait?.(), 1000);
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: holder.stdout }).once("line", () => resolve());
    holder.once("error", (err) => reject(new Error(`flock ${file}: ${err.message}`)));
    holder.once("exit", (code) => reject(new Error(`flock ${file} exited with ${code}`)));
  }).finally(() => clearTimeout(waitTimer));
  try {
    return await fn();
  } finally {
    const gone = new Promise((r) => holder.once("exit", r));
    holder.stdin.end();
    await gone;
  }
}
