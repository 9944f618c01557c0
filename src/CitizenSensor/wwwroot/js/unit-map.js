// Draws the boundaries of a unit's children with Leaflet, over the street basemap when it loads (base-map.js).
(function () {
    'use strict';
    var element = document.getElementById('unit-map');
    if (!element || typeof L === 'undefined' || !window.CitizenMap) {
        return;
    }

    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('GSO · gis.chinhphu.vn (dvhcvn)');
    CitizenMap.basemap(map, element);

    fetch(element.dataset.geojson, { headers: { Accept: 'application/geo+json' } })
        .then(function (response) {
            if (!response.ok) {
                throw new Error('HTTP ' + response.status);
            }
            return response.json();
        })
        .then(function (collection) {
            var layer = L.geoJSON(collection, {
                style: function () {
                    return { color: '#b3261e', weight: 1.5, fillColor: '#f2b8b5', fillOpacity: 0.25 };
                },
                onEachFeature: function (feature, shape) {
                    shape.bindTooltip(feature.properties.name, { sticky: true });
                    shape.on('click', function () {
                        window.location.href = '/units/' + encodeURIComponent(feature.properties.code);
                    });
                }
            }).addTo(map);
            map.fitBounds(layer.getBounds(), { padding: [8, 8] });
            element.dataset.features = String(collection.features.length);
            element.classList.add('is-loaded');
        })
        .catch(function (error) {
            element.classList.add('is-failed');
            element.textContent = error.message;
        });
}());
