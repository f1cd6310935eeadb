/** One step of the journey, as CI counts it: a test that passed, failed or could not run. */
export interface StepResult {
  readonly name: string;
  readonly outcome: 'passed' | 'failed' | 'not run';
  readonly ms: number;
  readonly error?: string;
}

export interface StepOptions {
  /** The step fails when it takes longer than this. Default 60 s. */
  readonly timeoutMs?: number;
  /** Runs even after an earlier step failed (clean-up checks). */
  readonly always?: boolean;
}

export interface StepSummary {
  readonly passed: number;
  readonly failed: number;
  /** Steps skipped after a failure; counted in `failed` too, since they did not pass. */
  readonly notRun: number;
}

/**
 * Runs the steps of one journey in order, each time-boxed. The steps build on each other,
 * so after the first failure the rest are reported as not run (except `always` steps).
 */
export class StepRunner {
  readonly results: StepResult[] = [];
  private broken = false;

  constructor(
    private readonly log: (line: string) => void,
    /** Called once when a step fails, e.g. to screenshot the page it failed on. */
    private readonly onFailure: (stepName: string) => Promise<void> = async () => undefined,
  ) {}

  get failed(): boolean {
    return this.broken;
  }

  async step(name: string, work: () => Promise<void>, options: StepOptions = {}): Promise<void> {
    if (this.broken && !options.always) {
      this.results.push({ name, outcome: 'not run', ms: 0 });
      this.log(`  - ${name} (not run)`);
      return;
    }
    const started = Date.now();
    try {
      await withTimeout(work(), options.timeoutMs ?? 60_000, name);
      const ms = Date.now() - started;
      this.results.push({ name, outcome: 'passed', ms });
      this.log(`  ✓ ${name} (${ms} ms)`);
    } catch (error) {
      const ms = Date.now() - started;
      const message = error instanceof Error ? error.message : String(error);
      this.results.push({ name, outcome: 'failed', ms, error: message });
      this.log(`  ✗ ${name} (${ms} ms)\n${indent(message)}`);
      if (!this.broken) {
        this.broken = true;
        await this.onFailure(name).catch((problem) => this.log(`    (could not record the failure: ${String(problem)})`));
      }
    }
  }

  summary(): StepSummary {
    const count = (outcome: StepResult['outcome']) => this.results.filter((r) => r.outcome === outcome).length;
    const notRun = count('not run');
    return { passed: count('passed'), failed: count('failed') + notRun, notRun };
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 30)
    .map((line) => `      ${line}`)
    .join('\n');
}
