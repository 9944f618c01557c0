// Progressive enhancement of the report form: "use my location" and a map pin fill the hidden lat/lng fields.
// Without JavaScript the form still works with the typed address.
(function () {
    'use strict';
    var tools = document.querySelector('.location-tools');
    var lat = document.getElementById('lat');
    var lng = document.getElementById('lng');
    var status = document.getElementById('location-status');
    if (!tools || !lat || !lng) {
        return;
    }
    tools.hidden = false;

    var map = null;
    var marker = null;
    var nearby = document.getElementById('nearby');
    var nearbyList = document.getElementById('nearby-list');

    // "Is it one of these?": reports within 200 m in the last day, each with a link to follow it instead of filing again.
    function lookNearby(latitude, longitude) {
        if (!nearby) {
            return;
        }
        fetch('/api/v1/reports/nearby?lat=' + latitude.toFixed(6) + '&lng=' + longitude.toFixed(6))
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (reports) {
                nearbyList.replaceChildren();
                reports.forEach(function (report) {
                    var item = document.createElement('li');
                    var what = [report.category ? report.category.name : nearby.dataset.pending,
                        report.unit ? report.unit.name : null,
                        nearby.dataset.meters.replace('{0}', report.distanceMeters),
                        new Date(report.submittedAt).toLocaleString(document.documentElement.lang || 'vi')].filter(Boolean);
                    item.append(what.join(' · ') + ' — ');
                    var link = document.createElement('a');
                    link.href = '/r/' + encodeURIComponent(report.code) + '#follow';
                    link.textContent = nearby.dataset.follow + ' ' + report.code;
                    item.append(link);
                    nearbyList.append(item);
                });
                nearby.hidden = reports.length === 0;
            })
            .catch(function () { nearby.hidden = true; });
    }

    function show(latitude, longitude, zoom) {
        lat.value = latitude.toFixed(6);
        lng.value = longitude.toFixed(6);
        status.textContent = status.dataset.set.replace('{0}', lat.value + ', ' + lng.value);
        lookNearby(latitude, longitude);
        if (map) {
            var position = [latitude, longitude];
            if (zoom) {
                map.setView(position, 15);
            }
            if (marker) {
                marker.setLatLng(position);
            } else {
                marker = L.circleMarker(position, { radius: 9, color: '#0b57d0', weight: 3, fillOpacity: 0.6 }).addTo(map);
            }
        }
    }

    var element = document.getElementById('report-map');
    if (element && typeof L !== 'undefined') {
        // A view from the start: Leaflet cannot draw a layer on a map without one, and the cities' boundaries (or the
        // resident's position) may arrive in any order.
        map = L.map(element, { zoomSnap: 0.25 }).setView([16.0, 106.0], 5);
        map.attributionControl.setPrefix(false);
        var bounds = null;
        element.dataset.geojson.split(',').forEach(function (url, index) {
            fetch(url).then(function (response) { return response.json(); }).then(function (collection) {
                var layer = L.geoJSON(collection, { style: function () { return { color: '#b3261e', weight: 1, fillOpacity: 0.08 }; } }).addTo(map);
                if (index === 0 && !marker) { // a position the resident already set keeps the view
                    map.fitBounds(layer.getBounds());
                }
            });
        });
        map.on('click', function (event) { show(event.latlng.lat, event.latlng.lng, false); });
        if (lat.value && lng.value) {
            show(parseFloat(lat.value), parseFloat(lng.value), true);
        }
    }

    document.getElementById('use-location').addEventListener('click', function () {
        if (!navigator.geolocation) {
            status.textContent = status.dataset.failed;
            return;
        }
        navigator.geolocation.getCurrentPosition(
            function (position) { show(position.coords.latitude, position.coords.longitude, true); },
            function () { status.textContent = status.dataset.failed; },
            { enableHighAccuracy: true, timeout: 10000 });
    });
}());
