// Copy buttons of the hand-off page: a file, not inline, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    var ok = false; try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area); return ok;
  }
  function mark(button) {
    button.classList.add("done"); button.textContent = button.dataset.copiedLabel;
    setTimeout(function () { button.classList.remove("done"); button.textContent = button.dataset.copyLabel; }, 2000);
  }
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { mark(button); }, function () { if (fallbackCopy(text)) mark(button); });
      } else if (fallbackCopy(text)) { mark(button); }
    });
  });
})();
