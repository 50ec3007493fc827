/**
 * A Dockerfile from outside the context, sent the way the docker CLI sends it to the classic builder
 * (`AddDockerfileToBuildContext`): inside the context tar under a random `.dockerfile.<20 hex>` name,
 * with that name appended to the tar's `.dockerignore` (created as `.dockerignore` + the name when the
 * context has none). The engine reads the Dockerfile and then drops from the build context whatever of
 * `.dockerignore` and the Dockerfile that file matches, so `COPY . …` copies neither — as with the CLI.
 */
import { randomBytes } from 'node:crypto';

/** `.dockerfile.` + 20 hex digits; `hex` (tests) replaces the random digits. */
export function externalDockerfileName(hex: string = randomBytes(10).toString('hex')): string {
  return `.dockerfile.${hex.slice(0, 20)}`;
}

/** The `.dockerignore` the CLI sends along with an external Dockerfile named `dockerfileName`. */
export function dockerignoreWithExternalDockerfile(existing: string | undefined, dockerfileName: string): string {
  return `${existing ?? '.dockerignore'}\n${dockerfileName}\n`;
}
