// The page of `planner serve`: look, pin or change, re-solve, compare, publish, save.
// Every action is a request to the server, which plans with planner's own functions and
// keeps the session in its state file: a reload, or a server started again, shows the same.
"use strict";

const token = document.querySelector('meta[name="token"]').content;
let current = null;   // id of the plan shown
let plans = [];       // the session's plans (those with a plan document)
let weeks = [];       // Mondays of the weeks in which the plan shown holds something
let week = null;      // Monday of the week shown
let polling = null;

function api(path, body) {
  const options = { headers: { "X-Planner-Token": token } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  return fetch(path, options);
}

async function json(path) {
  return (await api(path)).json();
}

function text(value) {
  const span = document.createElement("span");
  span.textContent = value === null || value === undefined ? "" : String(value);
  return span.innerHTML;
}

function planLabel(plan) {
  const notes = [];
  if (plan.published) notes.push("published");
  if (plan.status === "interrupted") notes.push("interrupted: best plan so far");
  if (plan.status === "cancelled") notes.push("cancelled: best plan so far");
  if (plan.origin === "file") notes.push("from a file");
  return plan.name + (notes.length ? ` (${notes.join(", ")})` : "");
}

async function refresh(showPlan) {
  const state = await json("/api/state");
  plans = state.plans.filter(p => p.has_plan);
  const select = document.getElementById("plans");
  select.innerHTML = plans.map(p => `<option value="${p.id}">${text(planLabel(p))}</option>`).join("");
  if (plans.length && (showPlan !== undefined || current === null || !plans.some(p => p.id === current))) {
    current = showPlan !== undefined ? showPlan : plans[plans.length - 1].id;
  }
  document.getElementById("session").textContent = state.resumed ? `session kept in ${state.state_file}` : "";
  document.getElementById("edits").textContent = state.changes.trim() === "{}" ? "" : state.changes;
  showJob(state.job);
  const shown = [showComparison(), showPublished()];
  if (current !== null) {
    select.value = String(current);
    const plan = plans.find(p => p.id === current);
    document.getElementById("compared").checked = !!(plan && plan.compared);
    weeks = await json(`/api/plans/${current}/weeks`);
    if (week === null || showPlan !== undefined && !weeks.includes(week)) week = weeks.length ? weeks[0] : null;
    shown.push(showYear(), showTimeline());
  }
  await Promise.all(shown);
  if (state.job && state.job.running && polling === null) polling = setInterval(poll, 400);
}

async function showTimeline() {
  const html = await (await api(`/api/plans/${current}/timeline?week=${week || ""}`)).text();
  document.getElementById("timeline").innerHTML = html;
  const at = weeks.indexOf(week);
  document.getElementById("week").textContent = week ? `week of ${week}` + (at >= 0 ? ` (${at + 1}/${weeks.length})` : "") : "";
  document.querySelectorAll("#year .week-cell").forEach(c => c.classList.toggle("current", c.dataset.week === week));
}

function loadColour(load, busiest) {
  // from a pale green (free) through yellow to red for the busiest week (unless no week
  // is a quarter booked): the strip shows where the load is, even in a quiet year
  const share = Math.min(1, load / Math.max(0.25, busiest));
  const hue = 120 - 120 * share;
  return `hsl(${hue.toFixed(0)}, 70%, ${(90 - 35 * share).toFixed(0)}%)`;
}

async function showYear() {
  const started = performance.now();
  const strip = await json(`/api/plans/${current}/year`);
  const busiest = Math.max(0, ...strip.map(w => w.load));
  // rows of a year's weeks (53 at most) from the horizon's first, each named by the year
  // most of its weeks are in
  const rows = [];
  for (let i = 0; i < strip.length; i += 53) rows.push(strip.slice(i, i + 53));
  let html = "";
  for (const entries of rows) {
    const year = entries[Math.floor(entries.length / 2)].week.slice(0, 4);
    html += `<div class="year-row"><span class="year-label">${text(year)}</span>`;
    for (const w of entries) {
      const title = `Week ${w.number} (from ${w.week}): ${w.held} held, ${w.left_out} left out, ` +
        `${w.desk_days_full} desk-days and ${w.room_days_full} room-days at capacity, ` +
        `${w.interpreter_hours} interpreter hours, load ${Math.round(w.load * 100)} %`;
      html += `<button class="week-cell${w.left_out ? " left-out" : ""}${w.week === week ? " current" : ""}" ` +
        `data-week="${text(w.week)}" data-held="${w.held}" data-left-out="${w.left_out}" ` +
        `style="background:${loadColour(w.load, busiest)}" title="${text(title)}">` +
        `<span class="n">${w.number}</span><span class="held">${w.held || ""}</span>` +
        `<span class="out">${w.left_out ? w.left_out : ""}</span></button>`;
    }
    html += "</div>";
  }
  html += '<p class="legend">One strip per week: its number, activities held and (red) left out; ' +
    "the colour is the week's load (rooms or interpreters booked; red: the busiest week); hover for desks and rooms at capacity. Click to open the week.</p>";
  const element = document.getElementById("year");
  element.innerHTML = html;
  element.dataset.renderMs = (performance.now() - started).toFixed(1);
}

function showJob(job) {
  const running = job && job.running;
  document.getElementById("solve").disabled = !!running;
  document.getElementById("cancel").disabled = !running;
  const progress = document.getElementById("progress");
  progress.dataset.status = job && job.status ? job.status : "";
  if (!job || job.running === undefined || !job.status) { progress.textContent = ""; return; }
  const best = job.objective === null || job.objective === undefined ? "none yet" : job.objective;
  const kept = job.has_plan ? "its best plan is kept" : "before any plan was found";
  const says = {
    running: `solving ${job.name}: ${job.elapsed} s, best ${best}, bound ${job.bound === null ? "-" : job.bound}`,
    done: `${job.name} solved`,
    cancelled: `${job.name} cancelled: ${kept}`,
    interrupted: `${job.name} interrupted (the server stopped during the solve): ${kept}`,
    failed: `${job.name} failed: no plan`,
  };
  progress.textContent = says[job.status] || job.status;
}

async function showComparison() {
  const data = await json("/api/compare");
  const compared = data.plans;
  if (!compared.length) { document.getElementById("comparison").innerHTML = "<p>No plan in the comparison.</p>"; return; }
  const rows = Object.keys(compared[compared.length - 1].figures);
  let html = "<table><tr><th></th>" + compared.map(p =>
    `<th data-plan="${p.id}">${text(p.name)} <button class="uncompare" data-plan="${p.id}" title="take out of the comparison">&times;</button></th>`).join("") + "</tr>";
  for (const row of rows) {
    html += `<tr><td>${text(row)}</td>` + compared.map(p => `<td>${text(p.figures[row] ?? "-")}</td>`).join("") + "</tr>";
  }
  html += "</table>";
  const last = data.changes;
  if (last && (last.moved.length || last.dropped.length)) {
    html += `<h3>Moved and dropped in ${text(data.latest)}, against the plan it was solved from</h3><ul>`;
    for (const m of last.moved) html += `<li data-moved="${text(m.id)}">${text(m.id)} moved (${text(m.fields.join(", "))}): ${text(Object.values(m.from).join(" "))} &rarr; ${text(Object.values(m.to).join(" "))}</li>`;
    for (const d of last.dropped) html += `<li>${text(d.id)} dropped (${text(d.rule)}): ${text(d.reasons.join("; "))}</li>`;
    html += "</ul>";
  }
  document.getElementById("comparison").innerHTML = html;
}

async function showPublished() {
  const data = await json("/api/published");
  let html = data.path ? `<p>Publish writes <code>${text(data.path)}</code>, which the nightly <code>planner replan --baseline</code> reads.</p>` : "<p>This server does not publish.</p>";
  if (data.versions.length) {
    html += "<ul>" + data.versions.map(v => `<li>${text(v.plan)} published at ${text(v.published_at)}</li>`).join("") + "</ul>";
  }
  const file = data.file;
  if (file && file.problem) {
    html += `<p class="error">The published file cannot be read: ${text(file.problem)}</p>`;
  } else if (file && file.same) {
    html += `<p id="published-file" data-same="true">The file holds the version published at ${text(file.published_at)}.</p>`;
  } else if (file) {
    html += `<div id="published-file" data-same="false"><p>The file holds another plan (${text(file.status)}, objective ${text(file.objective)})`;
    if (file.since) {
      html += ` since the version published at ${text(file.since)}` + (file.read_that_version ? ", re-planned from it (the nightly job)" : "");
      const c = file.changes;
      if (c) {
        html += `: ${c.moved.length} moved, ${c.dropped.length} dropped, ${c.new.length} new, ${c.cancelled.length} cancelled.</p><ul>`;
        for (const m of c.moved) html += `<li data-changed="${text(m.id)}">${text(m.id)} moved (${text(m.fields.join(", "))}): ${text(Object.values(m.from).join(" "))} &rarr; ${text(Object.values(m.to).join(" "))}</li>`;
        for (const d of c.dropped) html += `<li data-changed="${text(d.id)}">${text(d.id)} dropped (${text(d.rule)}): ${text(d.reasons.join("; "))}</li>`;
        for (const n of c.new) html += `<li data-changed="${text(n)}">${text(n)} new</li>`;
        html += "</ul>";
      } else {
        html += ".</p>";
      }
    } else {
      html += "; nothing was published from this page yet.</p>";
    }
    html += '<button id="take-published">Take it in as a plan</button></div>';
  }
  html += '<p id="publish-result"></p>';
  document.getElementById("publication").innerHTML = html;
}

async function showDetails(activity) {
  document.querySelectorAll(".box.selected").forEach(b => b.classList.remove("selected"));
  document.querySelectorAll(`.box[data-activity="${CSS.escape(activity)}"]`).forEach(b => b.classList.add("selected"));
  const panel = document.getElementById("details");
  panel.innerHTML = "<p>Looking for its alternatives…</p>";
  const d = await json(`/api/plans/${current}/activities/${encodeURIComponent(activity)}`);
  let html = `<h3>${text(d.id)} (${text(d.kind)}, case ${text(d.case)})</h3>`;
  if (d.placement) {
    const p = d.placement;
    html += `<p>${text(p.start || p.centre_open)} &ndash; ${text(p.end || p.centre_close)}<br>room ${text(p.room || "virtual")}</p>`;
    const local = p.local || p.operations || {};
    html += "<ul>" + Object.entries(local).map(([code, t]) => `<li>${text(code)}: ${text(t.start.slice(11, 16))}-${text(t.end.slice(11, 16))} local (${text(t.start.slice(19))})</li>`).join("") + "</ul>";
  } else if (d.left_out) {
    html += `<p>Left out (${text(d.left_out.rule)}): ${text(d.left_out.reasons.join("; "))}</p>`;
  }
  if (d.participants.length) {
    html += "<p>Who: " + d.participants.map(p => `${text(p.country)} (${text(p.attendance.replace("_", " "))}${p.required ? "" : ", optional"})`).join(", ") + "</p>";
  }
  html += `<p>Window ${text(d.window.join(" to "))}${d.preferred ? ", preferred " + text(d.preferred) : ""}${d.pinned ? ", pinned" : ""}.</p>`;
  html += `<p>Why there: ${text(d.why)}.</p>`;
  if (d.kind === "meeting") {
    const start = d.placement ? d.placement.start.slice(0, 16) : "";
    const room = d.placement ? d.placement.room || "" : "";
    html += `<form class="pin-form" data-activity="${text(d.id)}">Pin at
      <input name="start" type="datetime-local" value="${text(start)}"> or on
      <input name="date" type="date"> in room <input name="room" size="4" value="${text(room)}">
      <button type="submit">Pin</button></form>
      <button class="unpin" data-activity="${text(d.id)}">Unpin</button>`;
  }
  if (d.suggestions.length) {
    html += "<h4>Alternatives</h4><ol>";
    for (const s of d.suggestions) {
      const changes = Object.entries(s.changes).map(([k, v]) => `${k} ${v > 0 ? "+" : ""}${v}`).join(", ") || "no change";
      const when = s.start ? s.start.slice(0, 16).replace("T", " ") : s.date;
      html += `<li>${text(when)} in ${text(s.room || "virtual")}: objective ${text(s.objective)} (${text(changes)})`;
      if (d.kind === "meeting" && s.start) {
        html += ` <button class="pin" data-activity="${text(d.id)}" data-start="${text(s.start.slice(0, 16))}" data-room="${text(s.room)}">Pin here</button>`;
      }
      html += "</li>";
    }
    html += "</ol>";
  }
  html += '<p id="pin-result"></p>';
  panel.innerHTML = html;
}

async function post(path, body, where) {
  const response = await api(path, body);
  const answer = await response.json();
  // an action that makes a plan (taking the published file in) shows it
  await refresh(response.ok && typeof answer.plan === "number" ? answer.plan : undefined);
  const place = typeof where === "string" ? document.getElementById(where) : where;
  if (place) {
    place.textContent = response.ok ? (answer.published_at ? `published at ${answer.published_at}` : "done") : (answer.problems || [answer.error]).join("; ");
    place.className = response.ok ? "" : "error";
  }
  return response.ok;
}

async function poll() {
  const state = await json("/api/state");
  showJob(state.job);
  if (!state.job || !state.job.running) {
    clearInterval(polling);
    polling = null;
    const made = state.plans.find(p => p.id === state.job.plan && p.has_plan);
    await refresh(made ? made.id : undefined);
  }
}

function showWeek(monday) {
  week = monday;
  return showTimeline();
}

document.addEventListener("click", async (event) => {
  const target = event.target;
  const cell = target.closest(".week-cell");
  if (cell) { await showWeek(cell.dataset.week); return; }
  const box = target.closest(".box");
  if (box) { await showDetails(box.dataset.activity); return; }
  if (target.classList.contains("pin")) {
    await post("/api/pin", { activity: target.dataset.activity, start: target.dataset.start, room: target.dataset.room }, "pin-result");
  } else if (target.classList.contains("unpin")) {
    await post("/api/unpin", { activity: target.dataset.activity }, "pin-result");
  } else if (target.classList.contains("uncompare")) {
    await post("/api/compare", { plan: Number(target.dataset.plan), compared: false });
  } else if (target.id === "take-published") {
    await post("/api/take-published", {}, "publish-result");
  } else if (target.dataset.format && current !== null) {
    window.location = `/download/${current}.${target.dataset.format}`;
  }
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".pin-form");
  if (!form) return;
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(form));
  const pin = { activity: form.dataset.activity, room: fields.room || null };
  if (fields.date) pin.date = fields.date; else pin.start = fields.start || null;
  await post("/api/pin", pin, "pin-result");
});

document.getElementById("solve").addEventListener("click", async () => {
  const limit = Number(document.getElementById("time-limit").value) || 20;
  const response = await api("/api/solve", { time_limit: limit });
  if (response.ok && polling === null) polling = setInterval(poll, 400);
});
document.getElementById("cancel").addEventListener("click", () => api("/api/cancel", {}));
document.getElementById("publish").addEventListener("click", () => {
  if (current !== null) post("/api/publish", { plan: current }, "publish-result");
});
document.getElementById("compared").addEventListener("change", (e) => {
  if (current !== null) post("/api/compare", { plan: current, compared: e.target.checked });
});
document.getElementById("apply").addEventListener("click", () =>
  post("/api/change", { text: document.getElementById("change").value }, "change-result"));
document.getElementById("plans").addEventListener("change", (e) => refresh(Number(e.target.value)));
document.getElementById("previous-week").addEventListener("click", () => {
  const i = weeks.indexOf(week); if (i > 0) showWeek(weeks[i - 1]);
});
document.getElementById("next-week").addEventListener("click", () => {
  const i = weeks.indexOf(week); if (i + 1 < weeks.length) showWeek(weeks[i + 1]);
});

refresh().then(() => {
  document.body.dataset.ready = "true";
});
