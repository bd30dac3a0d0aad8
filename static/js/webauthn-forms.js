// Security keys and passkeys (allauth.mfa): starts allauth's WebAuthn forms from data
// attributes instead of inline scripts, which the Content-Security-Policy refuses:
//   <form data-webauthn="add" data-webauthn-ids='{"add": "...", "credential": "..."}'>
// A refused or cancelled browser prompt is shown in the page's #webauthn-error box.
(function () {
  'use strict'
  document.addEventListener('DOMContentLoaded', function () {
    const forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
    if (!forms) return
    document.querySelectorAll('[data-webauthn]').forEach(function (element) {
      const start = forms[element.dataset.webauthn + 'Form']
      if (typeof start === 'function') {
        start({ ids: JSON.parse(element.dataset.webauthnIds) })
      }
    })
  })
  document.addEventListener('allauth.error', function (event) {
    const box = document.getElementById('webauthn-error')
    if (!box) return
    event.preventDefault()
    box.textContent = box.dataset.message
    box.hidden = false
    box.focus()
  })
})()
