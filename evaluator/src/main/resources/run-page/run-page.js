// The kdflow run page: polls GET /api/runs and draws jobs, leaderboards, dev metrics over steps (plain SVG) and
// the evaluator's counters. No framework and no build step.
// Token: with kdflow.api.token set, open the page as /?token=<token> (or type it into the form the page shows
// after a 401); it is kept in this tab's sessionStorage, removed from the address bar and sent as a bearer header.
(function () {
  "use strict";

  var API = "/api/runs";
  var REFRESH_MS = 3000;
  var SVG = "http://www.w3.org/2000/svg";
  var COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"];
  var ROLE_COLORS = { teacher: "#6a1b9a", student_baseline: "#ef6c00" };
  var ROLE_NAMES = { teacher: "teacher", student_baseline: "student baseline", student: "student" };
  var METRIC_LABELS = { bleu: "BLEU", chrf: "chrF", ter: "TER", rouge: "ROUGE", nll: "NLL", params: "params" };

  var lastBody = null;
  var lastData = null;
  var chosenCurve = {}; // job -> the dev metric its chart shows, when the reader picked one

  function token() {
    var url = new URL(window.location.href);
    var fromUrl = url.searchParams.get("token");
    if (fromUrl) {
      sessionStorage.setItem("kdflow.token", fromUrl);
      url.searchParams.delete("token");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    return sessionStorage.getItem("kdflow.token");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function fmt(value) {
    if (value === undefined || value === null) { return "\u2013"; }
    // counts and parameter numbers as integers, metrics with two decimals
    if (Number.isInteger(value)) { return String(value); }
    return Math.abs(value) >= 1e6 ? value.toExponential(2) : value.toFixed(2);
  }

  function label(metric) { return METRIC_LABELS[metric] || metric; }

  function showProblem(text) {
    var problem = document.getElementById("problem");
    problem.textContent = text;
    problem.hidden = !text;
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    var t = token();
    if (t) { headers.Authorization = "Bearer " + t; }
    fetch(API, { headers: headers, cache: "no-store" }).then(function (response) {
      if (response.status === 401) {
        document.getElementById("token-form").hidden = false;
        throw new Error(t ? "the token was refused (401)" : "this evaluator needs a token (401): open /?token=<token>");
      }
      if (!response.ok) { throw new Error(API + " answered " + response.status); }
      document.getElementById("token-form").hidden = true;
      return response.text();
    }).then(function (body) {
      showProblem("");
      document.getElementById("refreshed").textContent = "refreshed " + new Date().toLocaleTimeString();
      if (body !== lastBody) {
        lastBody = body;
        lastData = JSON.parse(body);
        render(lastData);
      }
    }).catch(function (error) {
      showProblem("Cannot load " + API + ": " + error.message);
    }).finally(function () {
      window.setTimeout(poll, REFRESH_MS);
    });
  }

  function render(data) {
    renderCounters(data.counters);
    var jobs = document.getElementById("jobs");
    jobs.replaceChildren();
    data.jobs.forEach(function (job) { jobs.appendChild(renderJob(job)); });
    document.getElementById("no-jobs").hidden = data.jobs.length > 0;
  }

  function cell(value, name, alert) {
    var node = el("div", { "class": "cell" + (alert ? " alert" : ""), "data-counter": name });
    node.appendChild(el("span", { "class": "value" }, value));
    node.appendChild(el("span", { "class": "label" }, name));
    return node;
  }

  function renderCounters(counters) {
    var cells = document.getElementById("counter-cells");
    cells.replaceChildren();
    Object.keys(counters.records).forEach(function (outcome) {
      cells.appendChild(cell(counters.records[outcome], "records " + outcome, outcome === "dead_letter" && counters.records[outcome] > 0));
    });
    cells.appendChild(cell(counters.dead_letters_total, "dead letters", counters.dead_letters_total > 0));
    cells.appendChild(cell(counters.reports, "reports"));
    var table = document.getElementById("dead-letters");
    var body = table.querySelector("tbody");
    body.replaceChildren();
    counters.dead_letters.forEach(function (letter) {
      var row = el("tr");
      row.appendChild(el("td", {}, letter.topic));
      row.appendChild(el("td", {}, letter.reason));
      row.appendChild(el("td", {}, letter.count));
      body.appendChild(row);
    });
    table.hidden = counters.dead_letters.length === 0;
  }

  function selectionMetric(job) {
    var rows = job.leaderboard.filter(function (r) { return r.selection_metric; });
    if (rows.length > 0) { return rows[0].selection_metric; }
    var dev = job.curves.filter(function (c) { return c.metric.indexOf("dev_") === 0; });
    return dev.length > 0 ? dev[0].metric.substring(4) : "bleu";
  }

  function renderJob(job) {
    var section = el("section", { "class": "job", "data-job": job.job });
    var head = el("div", { "class": "job-head" });
    head.appendChild(el("h2", {}, job.job));
    head.appendChild(el("span", { "class": "status " + job.status }, job.status + (job.status === "training" && job.phase ? " (" + job.phase + ")" : "")));
    section.appendChild(head);
    var meta = [];
    if (job.spec) {
      if (job.spec.task) { meta.push("task " + job.spec.task); }
      if (job.spec.teacher_uri) { meta.push("teacher " + job.spec.teacher_uri); }
      meta.push("student " + job.spec.student);
      meta.push("pseudo-targets " + job.spec.pseudo_targets);
    }
    if (job.checkpoint_events > 0) { meta.push(job.checkpoint_events + " checkpoint events"); }
    section.appendChild(el("div", { "class": "job-meta" }, meta.join(" \u00b7 ")));

    var metric = selectionMetric(job);
    section.appendChild(el("h3", {}, "Leaderboard (best checkpoint per role on dev " + label(metric) + ")"));
    section.appendChild(renderLeaderboard(job, metric));

    var charts = el("div", { "class": "charts" });
    var devMetrics = [];
    job.curves.forEach(function (c) {
      if (c.metric.indexOf("dev_") === 0 && devMetrics.indexOf(c.metric) < 0) { devMetrics.push(c.metric); }
    });
    var shown = chosenCurve[job.job] || "dev_" + metric;
    var dev = chartOf(job, shown, "Trainer's dev " + label(shown.substring(4)) + " over steps", true);
    if (dev) {
      dev.insertBefore(curvePicker(job.job, devMetrics, shown), dev.children[1]);
      charts.appendChild(dev);
    }
    var loss = chartOf(job, "train_loss", "Train loss over steps", false);
    if (loss) { charts.appendChild(loss); }
    if (charts.children.length > 0) { section.appendChild(charts); }
    renderTrainerCounters(section, job);
    return section;
  }

  // Which of the trainer's dev metrics the job's chart draws.
  function curvePicker(jobId, metrics, shown) {
    var select = el("select", { "class": "curve-metric", "aria-label": "dev metric" });
    metrics.forEach(function (m) {
      var option = el("option", { value: m }, label(m.substring(4)));
      option.selected = m === shown;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      chosenCurve[jobId] = select.value;
      render(lastData);
    });
    return select;
  }

  function renderLeaderboard(job, metric) {
    var columns = [["dev", metric]];
    ["bleu", "chrf", "rouge", "nll"].forEach(function (m) { if (m !== metric) { columns.push(["dev", m]); } });
    columns.push(["test", metric], ["test", "nll"]);
    if (metric !== "nll") { columns.push(["test", "rouge"]); }
    var table = el("table", { "class": "leaderboard", "data-job": job.job });
    var head = el("tr");
    ["role", "checkpoints", "best step"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
    columns.forEach(function (c) { head.appendChild(el("th", {}, c[0] + " " + label(c[1]))); });
    head.appendChild(el("th", {}, "gap closed (test " + label(metric) + ")"));
    head.appendChild(el("th", {}, "params"));
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    job.leaderboard.forEach(function (row) {
      var tr = el("tr", { "data-role": row.role });
      tr.appendChild(el("td", {}, ROLE_NAMES[row.role] || row.role));
      tr.appendChild(el("td", {}, row.checkpoints));
      tr.appendChild(el("td", {}, row.best_step));
      columns.forEach(function (c) {
        var split = row[c[0]] || {};
        tr.appendChild(el("td", { "data-metric": c[0] + "_" + c[1] }, fmt(split[c[1]])));
      });
      var test = row.test || row.dev || {};
      tr.appendChild(el("td", {}, row.role === "student" && test["gap_closed_" + metric] !== undefined
          ? fmt(test["gap_closed_" + metric]) + " %" : "\u2013"));
      tr.appendChild(el("td", {}, fmt((row.dev || {}).params)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    if (job.leaderboard.length === 0) {
      var empty = el("tr");
      empty.appendChild(el("td", { colspan: String(columns.length + 5) }, "no checkpoint evaluated yet"));
      body.appendChild(empty);
    }
    return table;
  }

  function renderTrainerCounters(section, job) {
    var roles = Object.keys(job.final_event_metrics);
    if (roles.length === 0) { return; }
    section.appendChild(el("h3", {}, "Trainer counters (final checkpoint events)"));
    var table = el("table", { "class": "small trainer-counters" });
    roles.forEach(function (role) {
      var metrics = job.final_event_metrics[role];
      Object.keys(metrics).forEach(function (name) {
        if (name.indexOf("dev_") === 0) { return; }
        var tr = el("tr");
        tr.appendChild(el("td", {}, (ROLE_NAMES[role] || role) + ": " + name));
        tr.appendChild(el("td", {}, fmt(metrics[name])));
        table.appendChild(tr);
      });
    });
    section.appendChild(table);
  }

  // One SVG line chart of the trainer's series of `metric` (one line per role and phase); with `references`, the
  // teacher's and the baseline's evaluated dev values as dashed lines.
  function chartOf(job, metric, title, references) {
    var series = job.curves.filter(function (c) { return c.metric === metric && c.points.length > 0; });
    if (series.length === 0) { return null; }
    var lines = series.map(function (s, i) {
      return { name: ROLE_NAMES[s.role] + (s.phase ? " " + s.phase : ""), color: COLORS[i % COLORS.length],
        points: s.points.filter(function (p) { return p[1] !== null; }) };
    });
    var flat = [];
    if (references) {
      job.leaderboard.forEach(function (row) {
        var value = (row.dev || {})[metric.substring(4)];
        if (row.role !== "student" && value !== undefined && value !== null) {
          flat.push({ name: ROLE_NAMES[row.role] + " (evaluator)", color: ROLE_COLORS[row.role] || "#555", value: value });
        }
      });
    }
    var xs = [], ys = [];
    lines.forEach(function (l) { l.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    flat.forEach(function (f) { ys.push(f.value); });
    if (xs.length === 0) { return null; }
    var W = 520, H = 260, L = 56, R = 12, T = 12, B = 34;
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    var pad = (y1 - y0) * 0.08 || Math.max(Math.abs(y1) * 0.1, 1);
    y0 -= pad; y1 += pad;
    function sx(x) { return L + (x - x0) / (x1 - x0) * (W - L - R); }
    function sy(y) { return T + (1 - (y - y0) / (y1 - y0)) * (H - T - B); }

    var box = el("div", { "class": "chart", "data-metric": metric });
    box.appendChild(el("h3", {}, title));
    var root = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title });
    for (var i = 0; i <= 4; i++) {
      var yv = y0 + (y1 - y0) * i / 4, xv = x0 + (x1 - x0) * i / 4;
      root.appendChild(svg("line", { "class": "grid", x1: L, x2: W - R, y1: sy(yv), y2: sy(yv) }));
      root.appendChild(svg("text", { x: L - 6, y: sy(yv) + 4, "text-anchor": "end" }, fmt(yv).replace(/^-(0\.0+)$/, "$1")));
      root.appendChild(svg("text", { x: sx(xv), y: H - B + 16, "text-anchor": "middle" }, Math.round(xv)));
    }
    root.appendChild(svg("line", { "class": "axis", x1: L, x2: L, y1: T, y2: H - B }));
    root.appendChild(svg("line", { "class": "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }));
    root.appendChild(svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle" }, "step"));
    flat.forEach(function (f) {
      root.appendChild(svg("line", { "class": "reference", x1: L, x2: W - R, y1: sy(f.value), y2: sy(f.value), stroke: f.color }));
    });
    lines.forEach(function (l) {
      var coords = l.points.map(function (p) { return sx(p[0]).toFixed(1) + "," + sy(p[1]).toFixed(1); }).join(" ");
      root.appendChild(svg("polyline", { "class": "series", points: coords, stroke: l.color, "data-points": l.points.length }));
      l.points.forEach(function (p) {
        var dot = svg("circle", { cx: sx(p[0]), cy: sy(p[1]), r: 3, fill: l.color });
        dot.appendChild(svg("title", {}, l.name + " step " + p[0] + ": " + fmt(p[1])));
        root.appendChild(dot);
      });
    });
    box.appendChild(root);
    var legend = el("div", { "class": "legend" });
    lines.concat(flat).forEach(function (l) {
      var item = el("span", {}, l.name);
      item.style.setProperty("--c", l.color);
      legend.appendChild(item);
    });
    box.appendChild(legend);
    return box;
  }

  document.getElementById("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem("kdflow.token", document.getElementById("token-input").value);
    lastBody = null;
  });

  poll();
}());
