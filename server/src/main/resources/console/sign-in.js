// The sign-in form: exchanges the admin token for the session cookie (POST /v1/admin/session).
const next = (() => {
  const n = new URLSearchParams(location.search).get('next');
  // only a path of this hub: never another origin
  return n && n.startsWith('/') && !n.startsWith('//') ? n : '/overview';
})();

const form = document.getElementById('signin');
const error = document.getElementById('signin-error');

fetch('/v1/admin/session', { credentials: 'same-origin' }).then((r) => {
  if (r.ok) location.replace(next);
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.hidden = true;
  const res = await fetch('/v1/admin/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: form.token.value }),
  });
  if (res.status === 201) {
    location.assign(next);
    return;
  }
  const body = await res.json().catch(() => ({}));
  error.textContent = body.error || `sign-in failed (${res.status})`;
  error.hidden = false;
  form.token.select();
});
