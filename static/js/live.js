// Live quiz screens: pushed updates over a WebSocket, polling as the fallback, and a
// countdown that runs here from the server's deadline (corrected for this clock's offset).
(function () {
  "use strict";
  if (!window.htmx) return;

  // A 304 keeps the screen as it is; 4xx answers carry a message worth showing (swap them).
  htmx.config.responseHandling = [
    { code: "304", swap: false },
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(400|403|404|409|410|429)", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false }
  ];

  // --- polling with ETags (the fallback; host and presenter also poll for the answer count)
  var etags = {};
  var socket = null;
  var socketLive = false;
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb === "get" && etags[detail.path]) detail.headers["If-None-Match"] = etags[detail.path];
    // With the socket up, an answer goes over it (the same server code as the form's POST).
    if (detail.verb === "post" && socketLive && /\/answer\/$/.test(detail.path) && detail.formData) {
      event.preventDefault();
      send({ type: "answer", question: Number(detail.formData.get("question")), choices: detail.formData.getAll("choice") });
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // A player whose socket is up gets everything pushed: the poll is not needed.
    var elt = event.detail.elt;
    if (socketLive && elt && elt.hasAttribute && elt.hasAttribute("data-live-poll")) event.preventDefault();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var config = event.detail.requestConfig;
    if (!xhr || !config) return;
    if (config.verb === "get") {
      var tag = xhr.getResponseHeader("ETag");
      if (tag) etags[config.path] = tag;
    }
    var answered = xhr.getResponseHeader("X-Live-Answered");
    if (answered && xhr.status < 300) answeredQuestions[answered] = true;
  });

  // --- the clock ----------------------------------------------------------------------------
  // offset = server clock - this clock. From a page or poll it is rough (one trip); from the
  // socket it is the ping whose round trip was shortest, halved (as NTP does).
  var offset = 0;
  var bestTrip = Infinity;
  function serverNow() { return Date.now() + offset; }
  function roughOffset(elt) {
    var sent = Number(elt && elt.getAttribute("data-server-now"));
    if (sent && bestTrip === Infinity) offset = sent - Date.now();
  }
  var endedAt = 0;
  function tick() {
    var counters = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < counters.length; i++) {
      var deadline = Number(counters[i].getAttribute("data-deadline"));
      if (!deadline) continue; // paused: the time left is drawn by the server
      var left = Math.max(0, Math.ceil((deadline - serverNow()) / 1000));
      if (counters[i].textContent !== String(left)) counters[i].textContent = String(left);
      if (left === 0) {
        // Every app server closes the question at its deadline; if nothing came, ask.
        if (!endedAt) endedAt = Date.now();
        if (Date.now() - endedAt > 1500 && socketLive) {
          send({ type: "tick" });
          endedAt = Date.now();
        }
      }
    }
    if (!counters.length) endedAt = 0;
  }
  setInterval(tick, 250);

  // --- a player's own part of the shared screen ------------------------------------------------
  var answeredQuestions = {};
  function setText(stage, name, value) {
    var nodes = stage.querySelectorAll('[data-me="' + name + '"]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = value === undefined || value === null ? "" : String(value);
  }
  function showOnly(nodes, attribute, value) {
    for (var i = 0; i < nodes.length; i++) nodes[i].hidden = nodes[i].getAttribute(attribute) !== value;
  }
  function applyMe(me) {
    var panel = document.getElementById("player-panel");
    var stage = document.getElementById("live-stage");
    if (!panel || !me) return;
    if (me.kicked) {
      if (stage) stage.remove();
      var note = panel.querySelector('[data-status="kicked"]');
      if (note) note.hidden = false;
      panel.removeAttribute("data-live-poll");
      return;
    }
    if (!stage) return;
    var question = stage.getAttribute("data-question");
    if (me.answered || (question && answeredQuestions[question])) {
      var form = stage.querySelector(".answer-form");
      if (form) form.remove();
      var sent = stage.querySelector('[data-status="answered"]');
      if (sent) sent.hidden = false;
    }
    if (me.result) showOnly(stage.querySelectorAll("[data-result]"), "data-result", me.result);
    ["points", "letters", "rank", "score"].forEach(function (name) {
      if (name in me) setText(stage, name, me[name]);
    });
    if ("letters" in me) {
      var mine = stage.querySelectorAll("[data-me-mine]");
      for (var i = 0; i < mine.length; i++) mine[i].hidden = !me.letters;
    }
    if ("rank" in me) {
      var ranks = stage.querySelectorAll("[data-me-rank]");
      for (var j = 0; j < ranks.length; j++) ranks[j].hidden = !me.rank;
    }
  }

  function showError(text) {
    var stage = document.getElementById("live-stage");
    if (!stage) return;
    var note = stage.querySelector("[data-error]");
    if (!note) {
      note = document.createElement("p");
      note.className = "message message-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-error", "");
      stage.insertBefore(note, stage.firstChild);
    }
    note.textContent = text;
  }

  function showStage(version, html, me) {
    var stage = document.getElementById("live-stage");
    var panel = document.getElementById("player-panel");
    if (!panel) return;
    var shown = stage ? Number(stage.getAttribute("data-version")) : 0;
    if (!stage || version > shown) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.firstElementChild;
      if (!fresh) return;
      if (stage) stage.replaceWith(fresh); else panel.appendChild(fresh);
      panel.setAttribute("data-state", fresh.getAttribute("data-state"));
      htmx.process(fresh);
      endedAt = 0;
    }
    applyMe(me);
    tick();
  }

  // --- the socket -----------------------------------------------------------------------------
  var failures = 0;
  var pinger = null;
  function send(message) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  }
  function ping() { send({ type: "ping", t: Date.now() }); }
  function onMessage(event) {
    var message;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (message.type === "pong" && typeof message.t === "number") {
      var now = Date.now();
      var trip = now - message.t;
      if (trip >= 0 && trip < bestTrip) {
        bestTrip = trip;
        offset = message.now - (message.t + now) / 2;
        tick();
      }
    } else if (message.type === "answered") {
      answeredQuestions[message.question] = true;
      applyMe({ answered: true });
    } else if (message.type === "answer-error") {
      showError(message.message);
    } else if (message.type === "stage") {
      showStage(message.version, message.html, message.me);
    } else if (message.type === "refresh") {
      var panel = document.querySelector("[data-live-socket]");
      if (panel) htmx.trigger(panel, "liverefresh");
    }
  }
  function connect() {
    var panel = document.querySelector("[data-live-socket]");
    if (!panel || !("WebSocket" in window) || !window.WebSocket) return; // polling goes on
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      panel.getAttribute("data-live-socket") + "?lang=" + encodeURIComponent(document.documentElement.lang || "");
    try {
      socket = new WebSocket(url);
    } catch (error) {
      return;
    }
    socket.onopen = function () {
      socketLive = true;
      document.documentElement.setAttribute("data-live-socket", "open");
      failures = 0;
      ping();
      setTimeout(ping, 1000);
      clearInterval(pinger);
      pinger = setInterval(ping, 30000); // keeps proxies from closing an idle socket, too
    };
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      socketLive = false;
      document.documentElement.setAttribute("data-live-socket", "closed");
      socket = null;
      clearInterval(pinger);
      if (event.code === 4403) return; // not a player (or no longer): stay on polling
      failures += 1;
      // Reconnect with backoff and jitter, so a restarted server is not hit all at once;
      // meanwhile the panel polls, and the reconnect resumes with the screen as it is now.
      var wait = Math.min(15000, 500 * Math.pow(2, Math.min(failures, 5))) + Math.random() * 1000;
      setTimeout(connect, wait);
    };
  }

  // Screens drawn by the server (page load, poll, host action): set the rough clock, and
  // after a swap of the player's panel, keep what this phone knows (answered).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (target && target.hasAttribute && target.hasAttribute("data-server-now")) roughOffset(target);
    tick();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fullscreen]");
    if (!button) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });

  function start() {
    roughOffset(document.querySelector("[data-server-now]"));
    tick();
    connect();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
