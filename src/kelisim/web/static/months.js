// The entity page's chart: how many of their quotes each month, drawn with uPlot as bars.
(function () {
  "use strict";
  var box = document.getElementById("months");
  if (!box || !window.uPlot) { return; }
  var data = JSON.parse(document.getElementById("months-data").textContent);
  var x = data.x.map(function (month) { return Date.parse(month + "-01T00:00:00Z") / 1000; });
  new uPlot({
    width: box.clientWidth || 600, height: 220,
    scales: { x: { time: true } },
    series: [{}, { label: box.dataset.label, paths: uPlot.paths.bars({ size: [0.6, 50] }),
                   fill: "rgba(11,110,110,0.35)", stroke: "#0b6e6e" }]
  }, [x, data.quotes], box);
  box.dataset.ready = "1";
})();
