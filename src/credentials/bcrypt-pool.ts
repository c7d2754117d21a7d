import os from "node:os";
import path from "node:path";
import { Piscina } from "piscina";
import { projectRoot } from "../common/project-root";

/** bcryptjs off the event loop: a worker pool sized to the cores, created on first use. */
export class BcryptPool {
  private pool?: Piscina;

  private get workers(): Piscina {
    this.pool ??= new Piscina({
      filename: path.join(projectRoot(), "src", "credentials", "bcrypt.worker.js"),
      maxThreads: Math.max(1, os.availableParallelism()),
      minThreads: 0,
      idleTimeout: 30_000,
    });
    return this.pool;
  }

  genSalt(cost: number): Promise<string> {
    return this.workers.run({ op: "genSalt", cost });
  }

  hash(secret: string, salt: string): Promise<string> {
    return this.workers.run({ op: "hash", secret, salt });
  }

  compare(secret: string, hash: string): Promise<boolean> {
    return this.workers.run({ op: "compare", secret, hash });
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
