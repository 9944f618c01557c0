// A venue's manage key, for the owner's page and the scanner alike. It arrives in the fragment of the owner's link
// (browsers never send a fragment to a server) or is typed once into #key-form, and is kept for this tab only
// (sessionStorage, so both pages of one tab share it). onChange runs whenever the key is set or forgotten.
window.venueKey = (code, onChange) => {
  'use strict';
  const name = 'citizensensor.venue-key.' + code;
  const fragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fragment) {
    sessionStorage.setItem(name, fragment);
    history.replaceState(null, '', location.pathname);
  }

  document.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(name, document.getElementById('venue-key').value.trim());
    onChange();
  });

  return {
    get: () => sessionStorage.getItem(name),
    forget: () => {
      sessionStorage.removeItem(name);
      onChange();
    },
  };
};
