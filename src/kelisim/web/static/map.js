// The overview map: the 20 regions (GeoJSON served by /api/shapes/regions) coloured by the
// tension index of the period; a click opens the region's page.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var values = JSON.parse(document.getElementById("map-values").textContent);
  var lang = box.dataset.lang || "ru";
  var steps = [[0, "#e8f3f1"], [5, "#b9ddd6"], [15, "#f6d58e"], [30, "#ef9a5b"], [50, "#c8412f"]];

  function colour(entry) {
    if (!entry || !entry.volume) { return "#f0f2f4"; }
    var fill = steps[0][1];
    steps.forEach(function (step) { if (entry.value >= step[0]) { fill = step[1]; } });
    return fill;
  }

  function number(value) {
    return (Math.round(value * 10) / 10).toLocaleString(lang === "en" ? "en" : "ru");
  }

  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
  fetch("/api/shapes/regions", { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (shapes) {
      var layer = L.geoJSON(shapes, {
        style: function (feature) {
          return { className: "region region-" + feature.properties.kato, weight: 1,
                   color: "#5b6b78", fillOpacity: 0.9,
                   fillColor: colour(values[feature.properties.kato]) };
        },
        onEachFeature: function (feature, shape) {
          var kato = feature.properties.kato;
          var entry = values[kato];
          var name = feature.properties["name_" + lang] || feature.properties.name_ru;
          var text = entry && entry.volume
            ? name + "<br>" + box.dataset.label + ": <b>" + number(entry.value) + "</b><br>" +
              box.dataset.volume + ": " + entry.volume
            : name;
          shape.bindTooltip(text, { sticky: true });
          shape.on("click", function () { window.location.href = "/regions/" + kato; });
          shape.on("mouseover", function () { shape.setStyle({ weight: 2.5, color: "#12343b" }); });
          shape.on("mouseout", function () { shape.setStyle({ weight: 1, color: "#5b6b78" }); });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [6, 6] });
      box.dataset.ready = "1";
    });
})();
