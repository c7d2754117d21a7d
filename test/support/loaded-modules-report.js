// Preloaded into a server process (NODE_OPTIONS=--require) by tests that check what the process
// loaded: at exit, writes every module file it required to LOADED_MODULES_FILE as JSON.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const file = process.env.LOADED_MODULES_FILE;
  if (file) writeFileSync(file, JSON.stringify(Object.keys(require.cache)));
});
