// Forms that send files (the upload page, a ledger item's progress) post a multipart stream;
// the CSRF token goes in a header because the server never parses a multipart body into a
// form. A file input with data-max (MiB) refuses a larger file beside itself before anything
// is sent. The answer is the page itself, with its previews or errors.
(function () {
  var forms = document.querySelectorAll('form[data-csrf]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var inputs = form.querySelectorAll('input[type=file][data-max]');
      for (var i = 0; i < inputs.length; i++) {
        var input = inputs[i], max = Number(input.dataset.max) * 1024 * 1024;
        for (var j = 0; j < input.files.length; j++) {
          if (input.files[j].size > max) {
            // Beside the field, in its error line (FIELD-error): a field described by a
            // hint as well named two ids here, and the check stopped on nothing.
            var out = document.getElementById(input.id + '-error');
            out.textContent = input.dataset.tooLarge.replace('%s', input.files[j].name);
            input.setAttribute('aria-invalid', 'true');
            input.focus();
            return;
          }
        }
      }
      var button = form.querySelector('button[type=submit]');
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
  });
})();
