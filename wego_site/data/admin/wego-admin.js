// WeGO's additions to Decap CMS at /admin/ (shipped by wego_site/admin.py).
//
// 1. Decap saves a field that was typed into and then cleared as "" (decap-cms
//    #7120), which the models reject ("time: '' is not a time"): before saving,
//    "" and null are dropped, so the field is simply absent.
// 2. Rules no widget can express are checked before saving, with the loader's
//    own messages; a failed check cancels the save and Decap shows the message.
//    `python build.py check` stays the authority (CI runs it on every change).
"use strict";

// A partial date as WeGO writes it: 2024-09-19, 2024-09, 2024-Q3 or 2024.
const WEGO_DATE = /^([0-9]{4})(?:-(?:(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?|Q([1-4])))?$/;

// The first day of a partial date as YYYY-MM-DD (strings compare as dates), or null.
function wegoFirstDay(value) {
  const m = WEGO_DATE.exec(String(value ?? "").trim());
  if (!m) return null;
  const month = m[4] ? String(3 * Number(m[4]) - 2).padStart(2, "0") : m[2] || "01";
  return `${m[1]}-${month}-${m[3] || "01"}`;
}

// The loader's messages (as `build.py check` words them) for one entry's data, a
// plain object; the year folder's is addressed to the editor's "Year folder" field.
function wegoChecks(collection, folder, data) {
  const problems = [];
  if (collection !== "events") return problems;
  const start = wegoFirstDay(data.date);
  if (start && folder && folder !== start.slice(0, 4)) {
    problems.push(
      `date: the event is in folder '${folder}' but its date is in ${start.slice(0, 4)}; ` +
        `set Year folder to ${start.slice(0, 4)}`,
    );
  }
  const end = data.end == null ? null : wegoFirstDay(data.end);
  if (start && end && end < start) {
    problems.push(`end (${String(data.end).trim()}) is before date (${String(data.date).trim()})`);
  }
  if (start && data.year_round === true && !/^[0-9]{4}$/.test(String(data.date).trim())) {
    problems.push(`year_round: true needs a year as date (e.g. ${start.slice(0, 4)})`);
  }
  if (start && data.time != null && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(String(data.date).trim())) {
    problems.push("time is only allowed with a full day date such as 2024-09-19");
  }
  return problems;
}

// Immutable.js values (Decap's entry data) without "" and null, at every depth.
function wegoPrune(value) {
  if (value && value["@@__IMMUTABLE_MAP__@@"]) {
    return value.filter((x) => x !== "" && x !== null).map(wegoPrune);
  }
  if (value && value["@@__IMMUTABLE_LIST__@@"]) return value.map(wegoPrune);
  return value;
}

if (typeof CMS !== "undefined") {
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const data = wegoPrune(entry.get("data"));
      const folder = entry.getIn(["meta", "path"]);
      const problems = wegoChecks(entry.get("collection"), folder, data.toJS());
      if (problems.length) throw new Error(problems.join("; "));
      return data;
    },
  });
}

if (typeof module !== "undefined") module.exports = { wegoChecks, wegoFirstDay, WEGO_DATE };
