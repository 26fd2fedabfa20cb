// The calls geo/hours.py makes of opening_hours.js, in the métropole (Marseille: sun times, French public
// holidays, school holidays of zone B). Times cross as wall-clock fields of Paris [y, m, d, h, min]: built and
// read with the engine's local calendar, whatever its time zone.
// Coordinates as strings, as Nominatim gives them: numbers leave the sun at 6h and 18h.
var WHERE = { lat: "43.2965", lon: "5.3698", address: { country_code: "fr", state: "Provence-Alpes-Côte d'Azur" } };

function carteRead(expression) {
  try {
    var oh = new opening_hours(expression, WHERE, { mode: 0, locale: "fr" });
    var pretty = "";
    try { pretty = oh.prettifyValue(); } catch (ignored) { pretty = ""; }
    return { ok: true, warnings: oh.getWarnings(), pretty: pretty };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

function carteFields(date) {
  return [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
}

// Open and unknown intervals from day (y, m, d) for `days` days: [[start fields], [end fields], unknown, comment].
function carteIntervals(expression, y, m, d, days) {
  var oh = new opening_hours(expression, WHERE, { mode: 0, locale: "fr" });
  return oh.getOpenIntervals(new Date(y, m - 1, d), new Date(y, m - 1, d + days)).map(function (i) {
    return [carteFields(i[0]), carteFields(i[1]), !!i[2], i[3] || ""];
  });
}

// "open", "closed" or "unknown" at a Paris wall-clock time.
function carteState(expression, y, m, d, h, min) {
  var oh = new opening_hours(expression, WHERE, { mode: 0, locale: "fr" });
  var at = new Date(y, m - 1, d, h, min);
  return oh.getUnknown(at) ? "unknown" : oh.getState(at) ? "open" : "closed";
}
