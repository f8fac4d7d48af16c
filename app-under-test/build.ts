import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where `npm run build:app` puts the bundle the Dockerfile copies. */
export const DEFAULT_BUNDLE = fileURLToPath(new URL("./dist/server.cjs", import.meta.url));

/** The oldest Node the bundle must run on: Debian bookworm's nodejs, the offline base image. */
const NODE_TARGET = "node18";

/** Bundles the service and its dependencies (ioredis) into one CommonJS file: the image needs no node_modules. */
export async function bundleService(outFile = DEFAULT_BUNDLE): Promise<string> {
  await build({
    entryPoints: [fileURLToPath(new URL("./src/server.ts", import.meta.url))],
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: NODE_TARGET,
    // CommonJS: ioredis and its dependencies are CommonJS and require() Node's built-ins.
    format: "cjs",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  return outFile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outFile = await bundleService(process.argv[2]);
  process.stdout.write(`bundled the prediction service into ${outFile}\n`);
}
