// The region page's chart: the tension index (line) and the volume of documents (bars) per
// day or week, drawn with uPlot from the data the page embeds.
(function () {
  "use strict";
  var box = document.getElementById("trend");
  if (!box || !window.uPlot) { return; }
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  if (!data.x.length) { return; }
  var bars = uPlot.paths.bars({ size: [0.6, 40] });
  function draw() {
    box.innerHTML = "";
    new uPlot({
      width: box.clientWidth || 600, height: 260,
      scales: { x: { time: true }, volume: { auto: true }, index: { auto: true } },
      axes: [{}, { scale: "index", label: box.dataset.index },
             { scale: "volume", side: 1, label: box.dataset.volume, grid: { show: false } }],
      series: [{}, { label: box.dataset.volume, scale: "volume", paths: bars,
                     fill: "rgba(11,110,110,0.18)", stroke: "rgba(11,110,110,0.5)" },
               { label: box.dataset.index, scale: "index", stroke: "#c8412f", width: 2,
                 points: { show: true, size: 5 } }]
    }, [data.x, data.volume, data.index], box);
    box.dataset.ready = "1";
  }
  draw();
  window.addEventListener("resize", function () { clearTimeout(box.timer); box.timer = setTimeout(draw, 200); });
})();
