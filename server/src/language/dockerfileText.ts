/**
 * What ACR does differently from `docker build` with a Dockerfile's text: its dependency scanner's
 * FROM parsing (spec §10.3) and the classic builder it uses unless BuildKit is asked for (§5.8).
 */

export interface DockerfileFinding {
  /** 0-based line in the Dockerfile. */
  line: number;
  text: string;
}

export interface DockerfileReading {
  /** `FROM --platform=…` lines: ACR's scanner fails on them ("unable to understand line"). */
  fromPlatform: DockerfileFinding[];
  /** Other FROM lines the scanner cannot read (3 tokens, or 4+ without `AS` third). */
  fromUnparsable: DockerfileFinding[];
  /** BuildKit-only syntax: `# syntax=`, `RUN --mount/--network/--security`, heredocs. */
  buildKitOnly: (DockerfileFinding & { feature: string })[];
}

const SYNTAX_DIRECTIVE = /^#\s*syntax\s*=/i;
const PARSER_DIRECTIVE = /^#\s*[A-Za-z]+\s*=/;
const RUN_FLAG = /^RUN\s+(--mount|--network|--security)\b/i;
const HEREDOC = /^(RUN|COPY|ADD)\b.*<<-?\s*["']?[A-Za-z_][\w]*["']?/i;

/** Reads a Dockerfile's text for ACR-parity problems. */
export function readDockerfile(text: string): DockerfileReading {
  const reading: DockerfileReading = { fromPlatform: [], fromUnparsable: [], buildKitOnly: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let directives = true; // parser directives are only read before the first other line
  lines.forEach((raw, line) => {
    const trimmed = raw.trim();
    if (directives && PARSER_DIRECTIVE.test(trimmed)) {
      if (SYNTAX_DIRECTIVE.test(trimmed))
        reading.buildKitOnly.push({ line, text: trimmed, feature: '`# syntax=` directive' });
      return;
    }
    directives = false;
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const flag = RUN_FLAG.exec(trimmed);
    if (flag) reading.buildKitOnly.push({ line, text: trimmed, feature: `\`RUN ${flag[1].toLowerCase()}\`` });
    else if (HEREDOC.test(trimmed)) reading.buildKitOnly.push({ line, text: trimmed, feature: 'heredoc (`<<EOF`)' });
    const tokens = trimmed.split(/\s+/);
    if (tokens[0].toUpperCase() !== 'FROM') return;
    // acb: `FROM image` or `FROM image AS alias [ignored…]`; anything else is "unable to understand line".
    const understood = tokens.length === 2 || (tokens.length >= 4 && tokens[2].toLowerCase() === 'as');
    if (understood) return;
    if (tokens.some((token) => token.toLowerCase().startsWith('--platform')))
      reading.fromPlatform.push({ line, text: trimmed });
    else reading.fromUnparsable.push({ line, text: trimmed });
  });
  return reading;
}
