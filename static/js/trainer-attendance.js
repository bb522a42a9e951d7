// Enhancement of the trainer's attendance page (courses/trainer_session.html): a tap is
// sent in the background instead of reloading the page. Marks wait in a queue kept in
// localStorage (they survive a reload) and are sent again, with growing pauses, until the
// server has them; a mark is absolute (present / absent), so sending it twice is harmless.
// Without JavaScript the same buttons post the form and the page comes back.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("attendance-status");
  var key = form.getAttribute("data-key");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var day = form.querySelector("input[name=day]").value;
  var queue = load();
  var sending = false;
  var pause = 2000;
  var timer = null;

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(key)) || {};
    } catch (error) {
      return {};
    }
  }

  function store() {
    try {
      window.localStorage.setItem(key, JSON.stringify(queue));
    } catch (error) {
      // Private mode or a full storage: the queue still lives while the page is open.
    }
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function show(id, mark, state, text) {
    var row = document.getElementById("trainee-" + id);
    if (!row) return;
    var present = row.querySelector("button[value$=':present']");
    var absent = row.querySelector("button[value$=':absent']");
    present.className = "btn flex-fill " + (mark === "present" ? "btn-success" : "btn-outline-success");
    absent.className = "btn flex-fill " + (mark === "absent" ? "btn-danger" : "btn-outline-danger");
    present.setAttribute("aria-pressed", mark === "present" ? "true" : "false");
    absent.setAttribute("aria-pressed", mark === "absent" ? "true" : "false");
    row.setAttribute("data-state", state);
    row.querySelector(".mark-state").textContent =
      text || form.getAttribute(state === "queued" ? "data-state-queued" : "data-state-" + mark);
  }

  function retryLater() {
    sending = false;
    say(form.getAttribute("data-waiting"));
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, pause);
    pause = Math.min(pause * 2, 30000);
  }

  function flush() {
    if (sending) return;
    var ids = Object.keys(queue);
    if (!ids.length) {
      say(form.getAttribute("data-saved"));
      return;
    }
    sending = true;
    say(form.getAttribute("data-sending"));
    var id = ids[0];
    var mark = queue[id];
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("day", day);
    body.append("mark", id + ":" + mark);
    window
      .fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 403) {
          // Logged out (redirect to the log-in page) or the CSRF token expired: keep the
          // queue; the next tap after logging in sends it.
          sending = false;
          say(form.getAttribute("data-login"));
          return;
        }
        if (response.status >= 500 || response.status === 429) {
          retryLater();
          return;
        }
        return response.json().then(function (data) {
          if (queue[id] === mark) delete queue[id];
          store();
          show(id, mark, data.saved ? "saved" : "refused", data.saved ? "" : data.message);
          pause = 2000;
          sending = false;
          flush();
        });
      })
      .catch(retryLater);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=mark]");
    if (!button) return;
    event.preventDefault();
    var parts = button.value.split(":");
    queue[parts[0]] = parts[1];
    store();
    show(parts[0], parts[1], "queued");
    pause = 2000;
    flush();
  });

  window.addEventListener("online", function () {
    pause = 2000;
    window.clearTimeout(timer);
    flush();
  });

  // Marks left from an earlier visit (the connection dropped, the page was closed).
  Object.keys(queue).forEach(function (id) {
    show(id, queue[id], "queued");
  });
  if (Object.keys(queue).length) flush();
})();
