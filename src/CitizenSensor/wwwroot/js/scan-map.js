// The units of a city coloured by a figure in five steps (the day's scans, a window's cases), over the street basemap
// when it loads (base-map.js): every .unit-map with data-scans (code → value) and data-geojson.
(() => {
  'use strict';
  if (typeof L === 'undefined' || !window.CitizenMap) {
    return;
  }

  document.querySelectorAll('.unit-map[data-scans]').forEach((element) => draw(element));

  function draw(element) {
    const scans = JSON.parse(element.dataset.scans || '{}');
    const max = Math.max(1, ...Object.values(scans));
    const colours = ['#f1f1f1', '#fde0c5', '#f9a66c', '#e4572e', '#8c1d18'];
    const level = (value) => (value <= 0 ? 0 : Math.min(4, 1 + Math.floor((3 * value) / max)));
    const map = L.map(element, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('GSO · gis.chinhphu.vn (dvhcvn)');
    CitizenMap.basemap(map, element);

    fetch(element.dataset.geojson, { headers: { Accept: 'application/geo+json' } })
      .then((response) => {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then((collection) => {
        const layer = L.geoJSON(collection, {
          style: (feature) => ({
            color: '#555', weight: 1, fillOpacity: 0.75,
            fillColor: colours[level(scans[feature.properties.code] || 0)],
          }),
          onEachFeature: (feature, shape) => {
            const value = scans[feature.properties.code] || 0;
            shape.bindTooltip(feature.properties.name + ': ' + value.toLocaleString('vi-VN') + ' ' + element.dataset.label, { sticky: true });
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        element.dataset.features = String(collection.features.length);
        element.dataset.coloured = String(collection.features.filter((f) => (scans[f.properties.code] || 0) > 0).length);
        element.classList.add('is-loaded');
      })
      .catch((error) => {
        element.classList.add('is-failed');
        element.textContent = error.message;
      });
  }
})();
