// The resident's phone and name, kept on this device only (localStorage), so that checking in is one tap after the
// first time. The form still posts to the server as a plain form: without this script it works the same, with typing.
(() => {
  'use strict';
  const key = 'citizensensor.person';
  const form = document.getElementById('checkin-form');
  if (!form) {
    return;
  }

  const phone = form.querySelector('#phone');
  const name = form.querySelector('#name');
  const email = form.querySelector('#email'); // the check-in page only
  const remember = form.querySelector('#remember');
  const fields = document.getElementById('person-fields');
  const remembered = document.getElementById('remembered');
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    stored = null;
  }

  const mask = (typed) => {
    const p = typed.replace(/[\s.-]+/g, '');
    return p.length > 6 ? p.slice(0, 3) + '•'.repeat(p.length - 6) + p.slice(-3) : p;
  };
  // A refused phone shows the fields again, so the resident can correct it.
  if (stored && typeof stored.phone === 'string' && stored.phone && fields.dataset.invalid !== 'true') {
    phone.value = stored.phone;
    name.value = typeof stored.name === 'string' ? stored.name : '';
    if (email && typeof stored.email === 'string') {
      email.value = stored.email;
    }
    fields.hidden = true;
    remembered.hidden = false;
    remembered.querySelector('[data-phone]').textContent = mask(stored.phone);
    remembered.querySelector('[data-name]').textContent = name.value ? '(' + name.value + ')' : '';
  }

  document.getElementById('change-person').addEventListener('click', (event) => {
    event.preventDefault();
    fields.hidden = false;
    remembered.hidden = true;
    phone.focus();
  });

  form.addEventListener('submit', () => {
    if (remember.checked) {
      const kept = { phone: phone.value.trim(), name: name.value.trim() };
      if (email) {
        kept.email = email.value.trim();
      } else if (stored && typeof stored.email === 'string') {
        kept.email = stored.email; // the personal-QR page has no e-mail field: keep the one given at a check-in
      }
      localStorage.setItem(key, JSON.stringify(kept));
    } else {
      localStorage.removeItem(key);
    }
  });
})();
