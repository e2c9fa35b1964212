// A wall screen's sign-in link carries its token after # (/wall#token=…), which no server,
// proxy or log ever sees. The token is taken out of the address bar before anything else
// and sent in the form's body; the server answers with a redirect to the wall view.
(function () {
  'use strict';
  var m = /^#token=([^&]+)/.exec(location.hash);
  var form = document.getElementById('wall-form');
  if (!m || !form) return;
  history.replaceState(null, '', location.pathname + location.search);
  document.getElementById('wall-token').value = decodeURIComponent(m[1]);
  form.submit();
})();
