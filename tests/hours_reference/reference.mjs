// The reference's answers for each case: opening_hours.js evaluated in Marseille (Provence-Alpes-Côte d'Azur,
// school holidays of zone B), in Paris time, over the windows the Python test compares. Regenerate with:
//   npm install --prefix /tmp/oh opening_hours@3.15.0
//   TZ=Europe/Paris NODE_PATH=/tmp/oh/node_modules node tests/hours_reference/reference.mjs \
//       tests/hours_reference/cases.json > tests/hours_reference/answers.json
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const opening_hours = require("opening_hours");
const version = require("opening_hours/package.json").version;

// Where the map is: Marseille, so that sun times, public and school holidays are those of the métropole
// (coordinates as strings, as Nominatim gives them: numbers leave the sun at 6h and 18h).
const NOMINATIM = { lat: "43.2965", lon: "5.3698", address: { country_code: "fr", state: "Provence-Alpes-Côte d'Azur" } };
// A plain week, and the week of Christmas (25 December a public holiday, zone B on school holidays).
export const WINDOWS = [["2026-12-07T00:00", "2026-12-14T00:00"], ["2026-12-21T00:00", "2026-12-28T00:00"]];

const pad = (n) => String(n).padStart(2, "0");
const local = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

const cases = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const answers = [];
for (const { test, expression } of cases) {
  let oh;
  try {
    oh = new opening_hours(expression, NOMINATIM, { mode: 0, locale: "en" });
  } catch (error) {
    answers.push({ test, expression, error: String(error).split("\n")[0].slice(0, 200) });
    continue;
  }
  const windows = WINDOWS.map(([from, to]) =>
    oh.getOpenIntervals(new Date(from), new Date(to)).map(([start, end, unknown, comment]) =>
      [local(start), local(end), unknown ? "unknown" : "open", comment ?? ""]));
  answers.push({ test, expression, warnings: oh.getWarnings().length, windows });
}
process.stdout.write(JSON.stringify({ reference: `opening_hours.js ${version}`, windows: WINDOWS, answers }, null, 0) + "\n");
