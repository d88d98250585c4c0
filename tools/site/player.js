// The static site's players: each .live-figure holds range inputs over precomputed positions
// and a JSON table from positions to a frame file and a readout. Moving an input shows that
// frame and that readout; nothing is computed and nothing is fetched from outside the site.
"use strict";
(function () {
  function setup(figure) {
    var data = JSON.parse(figure.querySelector("script.live-figure-data").textContent);
    var image = figure.querySelector(".live-figure-image");
    var readout = figure.querySelector(".live-figure-readout");
    var inputs = Array.prototype.slice.call(figure.querySelectorAll('input[type="range"]'));
    var preloaded = {};
    function show() {
      var key = inputs.map(function (input) { return input.value; }).join(",");
      var entry = data.frames[key];
      if (!entry) { return; }
      if (image.getAttribute("src") !== entry[0]) { image.setAttribute("src", entry[0]); }
      readout.textContent = data.readouts[entry[1]];
      figure.setAttribute("data-state", key);
    }
    function preload(i) {  // the frames along input i into the browser's cache, so dragging never waits
      var now = inputs.map(function (input, j) { return data.mode === "single" && j !== i ? String(data.controls[j].start) : input.value; });
      var stem = now.map(function (v, j) { return j === i ? "*" : v; }).join(",");
      if (preloaded[stem]) { return; }
      preloaded[stem] = true;
      for (var k = 0; k < data.controls[i].values.length; k++) {
        now[i] = String(k);
        var entry = data.frames[now.join(",")];
        if (entry) { new Image().src = entry[0]; }
      }
    }
    inputs.forEach(function (input, i) {
      var output = input.parentNode.querySelector("output");
      input.addEventListener("input", function () {
        if (data.mode === "single") {  // one slider at a time: the others go back to their start
          inputs.forEach(function (other, j) {
            if (j !== i && Number(other.value) !== data.controls[j].start) {
              other.value = String(data.controls[j].start);
              other.parentNode.querySelector("output").textContent = data.controls[j].labels[data.controls[j].start];
            }
          });
        }
        output.textContent = data.controls[i].labels[Number(input.value)];
        show();
      });
      input.addEventListener("focus", function () { preload(i); });
      input.addEventListener("pointerdown", function () { preload(i); });
    });
    figure.setAttribute("data-ready", "true");
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".live-figure"), setup);
    document.documentElement.setAttribute("data-players-ready", "true");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
