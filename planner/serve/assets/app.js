// The page of `planner serve`: look, pin or change, re-solve, compare, save.
// Every action is a request to the server, which plans with planner's own functions.
"use strict";

const token = document.querySelector('meta[name="token"]').content;
let current = null;   // index of the plan shown
let weeks = [];
let week = null;
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

function text(value) {
  const span = document.createElement("span");
  span.textContent = value === null || value === undefined ? "" : String(value);
  return span.innerHTML;
}

async function refresh(showPlan) {
  const state = await (await api("/api/state")).json();
  const select = document.getElementById("plans");
  select.innerHTML = state.plans.map((name, i) => `<option value="${i}">${text(name)}</option>`).join("");
  if (state.plans.length && (showPlan !== undefined || current === null)) {
    current = showPlan !== undefined ? showPlan : state.plans.length - 1;
  }
  if (current !== null) {
    select.value = String(current);
    weeks = await (await api(`/api/plans/${current}/weeks`)).json();
    if (!weeks.includes(week)) week = weeks.length ? weeks[0] : null;
    await showTimeline();
  }
  document.getElementById("edits").textContent = state.changes.trim() === "{}" ? "" : state.changes;
  showJob(state.job);
  await showComparison();
}

async function showTimeline() {
  const html = await (await api(`/api/plans/${current}/timeline?week=${week || ""}`)).text();
  document.getElementById("timeline").innerHTML = html;
  document.getElementById("week").textContent = week ? `week of ${week} (${weeks.indexOf(week) + 1}/${weeks.length})` : "";
}

function showJob(job) {
  const running = job && job.running;
  document.getElementById("solve").disabled = !!running;
  document.getElementById("cancel").disabled = !running;
  const progress = document.getElementById("progress");
  if (!job || job.running === undefined) { progress.textContent = ""; return; }
  const best = job.objective === null || job.objective === undefined ? "none yet" : job.objective;
  progress.textContent = running
    ? `solving: ${job.elapsed} s, best ${best}, bound ${job.bound === null ? "-" : job.bound}`
    : (job.cancelled ? "cancelled: the best plan found is kept" : "solved");
}

async function showComparison() {
  const data = await (await api("/api/compare")).json();
  const plans = data.plans;
  if (!plans.length) { document.getElementById("comparison").innerHTML = ""; return; }
  const rows = Object.keys(plans[plans.length - 1].figures);
  let html = "<table><tr><th></th>" + plans.map(p => `<th>${text(p.name)}</th>`).join("") + "</tr>";
  for (const row of rows) {
    html += `<tr><td>${text(row)}</td>` + plans.map(p => `<td>${text(p.figures[row] ?? "-")}</td>`).join("") + "</tr>";
  }
  html += "<tr><td>moved against the plan before</td>" + plans.map(p => `<td>${p.changes ? p.changes.moved.length : "-"}</td>`).join("") + "</tr>";
  html += "<tr><td>dropped against the plan before</td>" + plans.map(p => `<td>${p.changes ? p.changes.dropped.length : "-"}</td>`).join("") + "</tr></table>";
  const last = plans[plans.length - 1].changes;
  if (last && (last.moved.length || last.dropped.length)) {
    html += "<h3>Moved and dropped in the latest plan</h3><ul>";
    for (const m of last.moved) html += `<li data-moved="${text(m.id)}">${text(m.id)} moved (${text(m.fields.join(", "))}): ${text(Object.values(m.from).join(" "))} &rarr; ${text(Object.values(m.to).join(" "))}</li>`;
    for (const d of last.dropped) html += `<li>${text(d.id)} dropped (${text(d.rule)}): ${text(d.reasons.join("; "))}</li>`;
    html += "</ul>";
  }
  document.getElementById("comparison").innerHTML = html;
}

async function showDetails(activity) {
  document.querySelectorAll(".box.selected").forEach(b => b.classList.remove("selected"));
  document.querySelectorAll(`.box[data-activity="${CSS.escape(activity)}"]`).forEach(b => b.classList.add("selected"));
  const panel = document.getElementById("details");
  panel.innerHTML = "<p>Looking for its alternatives…</p>";
  const d = await (await api(`/api/plans/${current}/activities/${encodeURIComponent(activity)}`)).json();
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
  if (where) {
    where.textContent = response.ok ? "done" : (answer.problems || [answer.error]).join("; ");
    where.className = response.ok ? "" : "error";
  }
  await refresh();
  return response.ok;
}

async function poll() {
  const state = await (await api("/api/state")).json();
  showJob(state.job);
  if (state.job && !state.job.running) {
    clearInterval(polling);
    polling = null;
    await refresh(state.plans.length - 1);
  }
}

document.addEventListener("click", async (event) => {
  const target = event.target;
  const box = target.closest(".box");
  if (box) { await showDetails(box.dataset.activity); return; }
  if (target.classList.contains("pin")) {
    await post("/api/pin", { activity: target.dataset.activity, start: target.dataset.start, room: target.dataset.room }, document.getElementById("pin-result"));
  } else if (target.classList.contains("unpin")) {
    await post("/api/unpin", { activity: target.dataset.activity }, document.getElementById("pin-result"));
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
  await post("/api/pin", pin, document.getElementById("pin-result"));
});

document.getElementById("solve").addEventListener("click", async () => {
  const limit = Number(document.getElementById("time-limit").value) || 20;
  const response = await api("/api/solve", { time_limit: limit });
  if (response.ok && polling === null) polling = setInterval(poll, 400);
});
document.getElementById("cancel").addEventListener("click", () => api("/api/cancel", {}));
document.getElementById("apply").addEventListener("click", () =>
  post("/api/change", { text: document.getElementById("change").value }, document.getElementById("change-result")));
document.getElementById("plans").addEventListener("change", (e) => refresh(Number(e.target.value)));
document.getElementById("previous-week").addEventListener("click", () => {
  const i = weeks.indexOf(week); if (i > 0) { week = weeks[i - 1]; showTimeline(); }
});
document.getElementById("next-week").addEventListener("click", () => {
  const i = weeks.indexOf(week); if (i + 1 < weeks.length) { week = weeks[i + 1]; showTimeline(); }
});

refresh().then(async () => {
  const state = await (await api("/api/state")).json();
  if (state.job && state.job.running && polling === null) polling = setInterval(poll, 400);
  document.body.dataset.ready = "true";
});
