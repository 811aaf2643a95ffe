// "Gunakan lokasi saya" on /wifi/: asks the phone's GPS once and reloads the list ordered from
// there. Rendered hidden, so a phone without scripts or GPS shows only the kelurahan choice.
(() => {
  "use strict";

  const button = document.querySelector("[data-locate-me]");
  if (!button || !navigator.geolocation) return;
  const status = document.querySelector("[data-locate-status]");
  const say = (text) => { if (status) status.textContent = text || ""; };
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    say(button.dataset.msgBusy);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(window.location.href);
        url.searchParams.delete("kelurahan");
        url.searchParams.delete("page");
        // Three decimals (about 100 m) are plenty to order the list, and the URL (and the
        // server's log) does not pin down the resident's house.
        url.searchParams.set("lat", position.coords.latitude.toFixed(3));
        url.searchParams.set("lon", position.coords.longitude.toFixed(3));
        window.location.assign(url.href);
      },
      (error) => {
        button.disabled = false;
        say(error.code === error.PERMISSION_DENIED ? button.dataset.msgDenied : button.dataset.msgFailed);
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 },
    );
  });
})();
