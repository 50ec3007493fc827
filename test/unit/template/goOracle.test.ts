/**
 * Differential table: every case's expected output or error was produced by Go's own
 * text/template (Go 1.19) with Sprig and ACR's b64enc, rendering the same data with
 * missingkey=zero and deleting "<no value>" afterwards — the way acb renders task files.
 * Cases where Sprig v2.22 (ACR) and the Sprig v3 the oracle had differ were left out.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderTemplate } from '../../../server/src/task/template';

interface OracleCase {
  template: string;
  output?: string;
  error?: string;
}

const file = path.join(__dirname, '../../../../test/unit/template/go-oracle-cases.json');
const oracle = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: Record<string, unknown>; cases: OracleCase[] };

describe('template engine matches Go text/template + Sprig (oracle table)', () => {
  it('has a substantial table', () => {
    assert.ok(oracle.cases.length > 300, `only ${oracle.cases.length} cases`);
  });
  for (const c of oracle.cases) {
    it(JSON.stringify(c.template).slice(0, 100), () => {
      const r = renderTemplate(c.template, oracle.data, { now: () => new Date(0) });
      const got = r.errors.length > 0 ? { error: r.errors[0].message } : { output: r.output };
      const want = c.error !== undefined ? { error: c.error } : { output: c.output };
      assert.deepStrictEqual(got, want);
    });
  }
});
