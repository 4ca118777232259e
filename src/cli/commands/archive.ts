import { writeFile } from 'node:fs/promises';
import { buildCdxj } from '../../archive/cdxj.js';
import { verifyArchive } from '../../archive/verify.js';
import type { Config } from '../../config/schema.js';
import { reindexFromArchive } from '../../pipeline/reindex.js';
import { openSearchContext } from '../context.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** `chronik archive verify`: one line per file; exit 3 when any file or record is bad. */
export async function verifyCommand(config: Config, io: CliIo, asJson: boolean): Promise<ExitStatus> {
  const verdicts = await verifyArchive(config.archive.dir);
  const bad = verdicts.filter((verdict) => verdict.error || verdict.badDigests.length > 0);
  if (asJson) {
    io.stdout.write(`${JSON.stringify(verdicts, null, 2)}\n`);
  } else {
    for (const verdict of verdicts) {
      const problems = [
        verdict.badDigests.length > 0 ? `${verdict.badDigests.length} payload digest mismatch(es) at offset ${verdict.badDigests.map((entry) => entry.offset).join(', ')}` : '',
        verdict.error ? `unreadable after record ${verdict.records}: ${verdict.error}` : '',
      ].filter(Boolean);
      io.stdout.write(`${problems.length ? 'BAD' : 'ok '}  ${verdict.warcFile}  ${verdict.records} records${problems.length ? `  ${problems.join('; ')}` : ''}\n`);
    }
    io.stderr.write(`${verdicts.length} file${verdicts.length === 1 ? '' : 's'} checked, ${bad.length} bad.\n`);
  }
  return bad.length > 0 ? EXIT.partial : EXIT.ok;
}

/** `chronik archive cdx [--out FILE]`: CDXJ for replay tools, to stdout or a file. */
export async function cdxCommand(config: Config, io: CliIo, outFile: string | undefined): Promise<ExitStatus> {
  const lines = await buildCdxj(config.archive.dir);
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (outFile) {
    await writeFile(outFile, text);
    io.stderr.write(`Wrote ${lines.length} CDXJ lines to ${outFile}.\n`);
  } else {
    io.stdout.write(text);
  }
  return EXIT.ok;
}

/** `chronik reindex`: rebuild the index from the archive alone, no network. */
export async function reindexCommand(config: Config, io: CliIo): Promise<ExitStatus> {
  const context = await openSearchContext(config, io);
  try {
    const summary = await reindexFromArchive(config.archive.dir, config.topic, context.index, config.extract.profilesDir);
    for (const problem of summary.unreadable) io.stderr.write(`unreadable: ${problem.warcFile}: ${problem.message}\n`);
    io.stderr.write(
      `Reindexed ${summary.documents} documents from ${summary.files} WARC files ` +
        `(${summary.responses} HTML responses, ${summary.articles} articles, ${summary.onTopic} on topic).\n`,
    );
    return summary.unreadable.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    await context.close();
  }
}
