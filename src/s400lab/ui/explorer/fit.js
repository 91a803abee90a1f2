// The explorer's page probe (package data; run by the onload of a hidden 1x1 picture in the
// styles widget, ui/explorer/styles.py). It tells the kernel the window's size (the "auto"
// screen follows it) and sets --s400-top, the explorer's distance from the top of the page,
// so the explorer is exactly as tall as the window below it. In JupyterLab the explorer sits
// in a scrolling notebook: it takes the window's height less the lab's bars.
(function (img) {
  var root = img.closest('.s400-explorer');
  if (!root || !root.isConnected) {
    img.s400tries = (img.s400tries || 0) + 1;
    if (img.s400tries < 200) { setTimeout(function () { img.onload(); }, 50); }
    return;
  }
  if (root.s400fit) { return; }
  var lab = !document.getElementById('rendered_cells');  // Voila's page; else JupyterLab
  function send() {
    var top = lab ? 110 : root.getBoundingClientRect().top + window.scrollY;
    root.style.setProperty('--s400-top', Math.max(0, Math.round(top)) + 'px');
    var probe = root.querySelector('.s400-viewport input');
    var size = window.innerWidth + 'x' + window.innerHeight;
    if (probe && probe.value !== size) {
      probe.value = size;
      probe.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  root.s400fit = send;
  send();
  var timer = null;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(send, 150); });
})(this);
