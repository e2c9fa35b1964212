// The upload page sends its files as a multipart stream; the CSRF token goes in a header
// because the server never parses a multipart body into a form. The answer is the page
// itself, with the previews.
(function () {
  var form = document.getElementById('upload-form');
  if (!form) return;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var button = document.getElementById('upload-preview');
    button.disabled = true;
    fetch(form.action, {method: 'POST', body: new FormData(form), headers: {'X-CSRF-Token': form.dataset.csrf}, credentials: 'same-origin'})
      .then(function (res) { return res.text(); })
      .then(function (html) {
        document.open();
        document.write(html);
        document.close();
      })
      .catch(function (err) { button.disabled = false; alert(err); });
  });
})();
