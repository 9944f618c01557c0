// The inbox's map: one dot per report of the list as filtered, coloured by status; a dot opens the report.
(function () {
    'use strict';
    var element = document.getElementById('inbox-map');
    if (!element || typeof L === 'undefined') {
        return;
    }
    var points = JSON.parse(element.dataset.points || '[]');
    if (points.length === 0) {
        return;
    }
    element.hidden = false;
    var map = L.map(element, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    var colours = { 'needs-triage': '#6b4fa1', routed: '#b3261e', 'in-progress': '#e8a317', resolved: '#1e7a34', rejected: '#555' };
    var layer = L.featureGroup(points.map(function (p) {
        return L.circleMarker([p.lat, p.lng], { radius: 7, color: colours[p.status] || '#555', weight: 2, fillOpacity: 0.6 })
            .bindTooltip(p.code)
            .on('click', function () { window.location.href = '/staff/reports/' + encodeURIComponent(p.code); });
    })).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
    element.dataset.markers = String(points.length);
}());
