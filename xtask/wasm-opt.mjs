// `wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int` on many files in one node
// process, through binaryen's JS API (the npm package pinned in package.json). The CLI is the same
// binaryen compiled to a 10 MB wasm that node compiles again on every run: about 1.2 s of each of
// a release build's ~450 runs. `cargo xtask split` checks that this gives the CLI's bytes.
//
// usage: node wasm-opt.mjs <node_modules dir> [-g] <file>...   (each file is optimized in place)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...rest] = process.argv.slice(2);
const debug = rest[0] === "-g";
const files = debug ? rest.slice(1) : rest;
// binaryen's module waits for its wasm at the top level: imported, not required.
const { default: binaryen } = await import(pathToFileURL(path.join(modules, "binaryen", "index.js")).href);
const F = binaryen.Features;
// As the CLI: the features the module's target_features section names, the CLI's defaults, and
// the two it is asked to enable.
const features = F.MutableGlobals | F.SignExt | F.BulkMemory | F.NontrappingFPToInt;

// -Oz, and Stack IR optimized as the binary is written: the CLI does it at -O levels, the JS API
// only when asked.
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
binaryen.setDebugInfo(debug);
for (const file of files) {
  const module = binaryen.readBinary(fs.readFileSync(file));
  try {
    module.setFeatures(module.getFeatures() | features);
    if (!module.validate()) throw new Error(`${file}: not a valid module`);
    module.optimize();
    fs.writeFileSync(file, module.emitBinary());
  } finally {
    module.dispose();
  }
}
