// Builds everything npm start, npm test and npm run bench need:
// the generated texts and ABI numbers (scripts/gen-abi.ts), the release .wasm of the xPL device (target "release"),
// its assertion build ("test"), the izzy .wasm ("izzy") and its assertion build ("izzy-test"), and the bundled CLI.
import { main as asc } from "assemblyscript/asc";
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { generate, TEXT_FILE } from "./gen-text.ts";
import { writeGenerated } from "./gen-abi.ts";
import { mergeDataSegmentsOfFile } from "./wasm-data.ts";

function generateTexts(): void {
  const next = generate();
  let current = "";
  try { current = readFileSync(TEXT_FILE, "utf8"); } catch { /* first build */ }
  if (current !== next) writeFileSync(TEXT_FILE, next);
}

async function compile(entry: string, target: string): Promise<void> {
  const { error, stderr } = await asc([entry, "--config", "asconfig.json", "--target", target]);
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`asc --target ${target}: ${error.message}`);
  }
}

async function bundle(): Promise<void> {
  mkdirSync("dist", { recursive: true });
  await build({
    entryPoints: ["host/node/cli/main.ts"],
    outfile: "dist/xpl-hbeat.cjs",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    loader: { ".wasm": "binary" },
    banner: { js: "#!/usr/bin/env node" },
    define: { XPL_HBEAT_VERSION: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version) }, // --version
    logLevel: "warning",
  });
  chmodSync("dist/xpl-hbeat.cjs", 0o755);
}

generateTexts();
for (const path of writeGenerated()) process.stdout.write(`gen-abi: wrote ${path}\n`);
await compile("assembly/xpl.ts", "release");
await compile("assembly/xpl.ts", "test");
await compile("assembly/izzy.ts", "izzy");
await compile("assembly/izzy.ts", "izzy-test");
// One data segment per module on the boards (wasm3 keeps a record per segment).
mergeDataSegmentsOfFile("build/xpl-hbeat.wasm");
mergeDataSegmentsOfFile("build/izzy.wasm");
await bundle();
process.stdout.write("built build/xpl-hbeat.wasm, build/xpl-hbeat.debug.wasm, build/izzy.wasm, build/izzy.debug.wasm, dist/xpl-hbeat.cjs\n");
