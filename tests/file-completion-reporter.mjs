// A node:test reporter for tests/run.ts: per test file, how many tests were
// declared (enqueued) and how many finished (passed, failed or skipped), and
// whether the file reported no test of its own (node then reports the file itself
// as one test: what a file that calls process.exit(0) mid-run looks like). One
// JSON line per file; tests/run.ts fails a file whose count is short.
export default async function* fileCompletion(source) {
  const files = new Map();
  const entry = (file) => {
    if (!files.has(file)) files.set(file, { file, declared: 0, finished: 0, itself: false });
    return files.get(file);
  };
  for await (const event of source) {
    const data = event.data ?? {};
    if (data.file === undefined) continue;
    if (event.type === "test:enqueue") {
      if (!(data.nesting === 0 && data.name === data.file)) entry(data.file).declared++;
    } else if (event.type === "test:pass" || event.type === "test:fail") {
      const e = entry(data.file);
      if (data.nesting === 0 && data.name === data.file) e.itself = true;
      else e.finished++;
    }
  }
  for (const e of files.values()) yield JSON.stringify(e) + "\n";
}
