// Builds everything npm start, npm test and npm run bench need:
// the release .wasm (asconfig.json target "release") and the bundled CLI.
import { main as asc } from "assemblyscript/asc";
import { build } from "esbuild";
import { chmodSync, mkdirSync } from "node:fs";

async function compile(target: string): Promise<void> {
  const { error, stderr } = await asc(["assembly/index.ts", "--config", "asconfig.json", "--target", target]);
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
    logLevel: "warning",
  });
  chmodSync("dist/xpl-hbeat.cjs", 0o755);
}

await compile("release");
await compile("test");
await bundle();
process.stdout.write("built build/xpl-hbeat.wasm, build/xpl-hbeat.debug.wasm, dist/xpl-hbeat.cjs\n");
