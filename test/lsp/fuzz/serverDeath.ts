/**
 * Noticing that the server died. LspTestClient.alive reads `exitCode`, which stays null when the
 * process is killed by a signal — and that is how V8 ends it on a fatal error (SIGABRT) — so the
 * reliable signal is the stdio connection closing. Without this, a dead server shows up as a wait for
 * diagnostics that never come, i.e. a mocha timeout that names no cause.
 */
import type { LspTestClient } from '../LspTestClient';

export class ServerDeathWatch {
  private dead = false;
  private readonly closed: Promise<void>;

  constructor(private readonly client: LspTestClient) {
    this.closed = new Promise((resolve) =>
      client.connection.onClose(() => {
        this.dead = true;
        resolve();
      }),
    );
  }

  get died(): boolean {
    return this.dead;
  }

  /** `work`'s result, or a rejection naming the last step and the server's stderr if the server dies first. */
  async orDeath<T>(work: Promise<T>, during: string): Promise<T> {
    const death = this.closed.then(() => {
      throw new Error(`the server exited during ${during}: ${this.client.stderr.join('').slice(0, 2000)}`);
    });
    return Promise.race([work, death]);
  }
}
