// The installer app's only script (served as a file: the pages' Content-Security-Policy forbids inline script).
// It counts a claim's expiry down, polls its status until the device used it, and scans a serial number's QR code
// with the browser's BarcodeDetector where there is one. Every page works without it, minus these.
"use strict";

(function () {
  const FINAL = ["USED", "DENIED", "EXPIRED"];

  function localTimes() {
    document.querySelectorAll("time[datetime]").forEach((t) => {
      const when = Date.parse(t.getAttribute("datetime"));
      if (!Number.isNaN(when)) {
        t.textContent = new Date(when).toLocaleString();
      }
    });
  }

  function watchClaim(section) {
    const statusUrl = section.dataset.statusUrl;
    const pollMillis = Math.max(500, Number(section.dataset.pollMillis) || 2000);
    const expiresAt = Date.parse(section.dataset.expiresAt);
    const status = document.getElementById("claim-status");
    const thing = document.getElementById("claim-thing");
    const countdown = document.getElementById("countdown");
    const countdownLine = document.getElementById("countdown-line");
    let done = false;

    function show(s) {
      status.textContent = s.status;
      status.className = "status status-" + s.status;
      if (s.status === "USED" && s.thingName) {
        thing.textContent = "— registered as thing " + s.thingName;
      } else if (s.status === "DENIED") {
        thing.textContent = "— the device presented it with another serial number; it is burnt";
      } else if (s.status === "EXPIRED") {
        thing.textContent = "— not used in time; ask for a new claim";
      }
      if (FINAL.includes(s.status)) {
        done = true;
        countdownLine.hidden = true;
      }
    }

    function tick() {
      if (done || Number.isNaN(expiresAt)) {
        return;
      }
      const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
      countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        show({ status: "EXPIRED" });
      }
    }

    async function poll() {
      if (done) {
        return;
      }
      try {
        const r = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (r.ok) {
          show(await r.json());
        } else if (r.status === 401 || r.redirected) {
          thing.textContent = "— signed out; sign in again to follow this claim";
          done = true;
        }
      } catch (e) {
        // A missed poll is retried on the next one.
      }
      if (!done) {
        setTimeout(poll, pollMillis);
      }
    }

    tick();
    setInterval(tick, 1000);
    poll();
  }

  function scanner(form) {
    const button = document.getElementById("scan-button");
    const video = document.getElementById("scanner");
    const input = document.getElementById("serial");
    const say = document.getElementById("scan-status");
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", async () => {
      let stream;
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "data_matrix"] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        say.textContent = "Point the camera at the label's code.";
        const started = Date.now();
        while (Date.now() - started < 30000) {
          const codes = await detector.detect(video);
          if (codes.length > 0) {
            input.value = codes[0].rawValue.trim();
            say.textContent = "Scanned " + input.value + ".";
            input.focus();
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        say.textContent = "No code found; type the serial number instead.";
      } catch (e) {
        say.textContent = "The camera is not available here; type the serial number instead.";
      } finally {
        if (stream) {
          stream.getTracks().forEach((t) => t.stop());
        }
        video.hidden = true;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes();
    const claim = document.getElementById("claim");
    if (claim) {
      watchClaim(claim);
    }
    const form = document.getElementById("claim-form");
    if (form) {
      scanner(form);
    }
  });
})();
