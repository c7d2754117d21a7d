import { writeFileSync } from "node:fs";
import path from "node:path";
import { printLatchkeySchema } from "../src/schema";
import { projectRoot } from "../src/common/project-root";

printLatchkeySchema().then((sdl) => {
  const file = path.join(projectRoot(), "schema.graphql");
  writeFileSync(file, sdl);
  console.log(`wrote ${file}`);
});
