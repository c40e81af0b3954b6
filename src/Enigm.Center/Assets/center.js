// Enigm Trust Security Center: the only script (served by the page itself; CSP script-src 'self', no inline script).
// Progressive enhancement only: every form works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Group a typed or pasted safety number into blocks of five digits, as the page shows it.
  for (const input of document.querySelectorAll("input[data-digits]")) {
    input.addEventListener("change", () => {
      const digits = input.value.replace(/\D/g, "");
      if (digits.length === Number(input.dataset.digits)) input.value = digits.match(/\d{5}/g).join(" ");
    });
  }
  // On a confirmation page, put the keyboard on the confirm button.
  const confirm = document.querySelector("button.confirm");
  if (confirm) confirm.focus();
});
