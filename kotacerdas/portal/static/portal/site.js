// A form whose button carries data-once is sent once: a second tap while a slow connection
// is still sending does nothing. (The server refuses duplicates anyway; this spares the wait.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.querySelector("[data-once]")) return;
  if (form.dataset.sending) { event.preventDefault(); return; }
  form.dataset.sending = "1";
  // Disabled after the browser has read the clicked button's name and value.
  setTimeout(() => form.querySelectorAll("button").forEach((b) => { b.disabled = true; }), 0);
});
