/**
 * Run ids shaped like ACR's (`ca1`, `cf2a`, `yd14`): short, lowercase alphanumerics, starting with a
 * letter so they are valid in Docker names and never look like numbers. Uniqueness is checked against
 * what already exists (the run store), since four characters leave room for collisions over time.
 */
import { randomInt } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ALPHANUMERICS = `${LETTERS}0123456789`;
export const RUN_ID_PATTERN = /^[a-z][a-z0-9]{1,31}$/;

/** One random id of `length` characters (default 4). */
export function randomRunId(length = 4): string {
  let id = LETTERS[randomInt(LETTERS.length)];
  while (id.length < length) id += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
  return id;
}

/** A fresh id that nobody holds yet (per `isTaken`); grows by one character after repeated collisions. */
export async function generateRunId(isTaken: (id: string) => boolean | Promise<boolean>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const id = randomRunId(4 + Math.floor(attempt / 8));
    if (!(await isTaken(id))) return id;
  }
}

/** Whether a user-chosen id (`--id`) can be used in resource names. */
export function isValidRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id);
}
