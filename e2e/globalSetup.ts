/**
 * Runs once per `playwright test`, before any worker starts: finds (or installs)
 * Chromium here rather than when the config is evaluated, which happens again in every
 * worker. The workers inherit the path through the environment.
 */
import { CHROMIUM_ENV, chromiumPath } from './browser';

export default function globalSetup(): void {
  const path = chromiumPath();
  process.env[CHROMIUM_ENV] = path;
  process.stderr.write(`[e2e browser] using ${path}\n`);
}
