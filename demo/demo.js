// The members' content appears once <otp-login> says who signed in, and hides on sign-out.
const members = document.getElementById('members');
const name = document.getElementById('member-name');

document.addEventListener('otp-signed-in', (event) => {
  const { contact } = event.detail;
  name.textContent = contact.email ?? contact.phone ?? 'member';
  members.hidden = false;
});

document.addEventListener('otp-signed-out', () => {
  members.hidden = true;
});

// The outbox note only makes sense where the development outbox exists. Only the same-site page
// has the note: the second demo site (another origin) has no outbox of its own to ask.
const outboxHint = document.getElementById('outbox-hint');
if (outboxHint) {
  fetch('/dev/outbox.json?to=nobody@example.com').then((res) => {
    if (!res.ok) outboxHint.remove();
  });
}
