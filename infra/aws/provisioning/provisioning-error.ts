/** A provisioning failure told in one line (what failed, and what was undone or is left over); the CLIs print only this. */
export class ProvisioningError extends Error {
  override name = 'ProvisioningError';
}

/** An AWS service exception by its name (the SDK's error classes are per client; the name is what the service says). */
export function isAwsError(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name;
}

/** The first line of an error's message, so a stack trace or a multi-line service answer never reaches the terminal. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message.split('\n')[0]!.trim();
}
