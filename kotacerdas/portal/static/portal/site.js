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

// Tables marked data-cell-labels turn into one card per row on a phone, without their header
// row; each cell gets its column's header to show in front of the value (see site.css).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table[data-cell-labels]").forEach((table) => {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, index) => {
        if (index > 0 && headers[index] && cell.colSpan === 1) cell.dataset.label = headers[index];
      });
    });
  });
});
