// The static page's only script (build.rs inlines it as the first thing in <head> of
// dist/index.html, with each lesson's JSON file in place of the empty object at the
// bottom). It runs before the body is parsed, so the first paint already shows what the
// wasm app will show, and the app's first render replaces it without a jump:
//  - <html lang> and data-theme as the app will choose them (route::initial_lang and
//    initial_theme: the link's lang=, else the remembered choice, else the browser's);
//  - html.boot-lesson when the hash names a lesson (style.css then shows "Loading…"
//    instead of the picker, so the picker does not flash before the lesson opens);
//  - a preload of that lesson's JSON, so it downloads beside the wasm and not after it.
// Again on every hash change (a card clicked before the wasm has loaded), until the app
// has replaced the static markup. No request but the page's own files.
(function (files) {
  var root = document.documentElement;
  var preloaded = {};
  // The hash's parameters as route.rs/permalink.rs read them (the last one wins).
  function params(hash) {
    var p = {};
    var h = hash.replace(/^#/, '');
    if (h === 'demo') p.lesson = 'sandbox';
    h.split('&').forEach(function (part) {
      var i = part.indexOf('=');
      var k = i < 0 ? part : part.slice(0, i);
      var v = i < 0 ? '' : part.slice(i + 1);
      if (k === 'demo') p.lesson = 'sandbox';
      else if (k === 'lesson' || k === 'lang') {
        try { p[k] = decodeURIComponent(v); } catch (e) { p[k] = v; }
      }
    });
    return p;
  }
  function stored(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function lang(p) {
    var tries = [p.lang, stored('replilab.lang'), navigator.language];
    for (var i = 0; i < tries.length; i++) {
      var s = (tries[i] || '').toLowerCase();
      if (s.indexOf('zh') === 0) return 'zh-CN';
      if (s.indexOf('en') === 0) return 'en';
    }
    return 'en';
  }
  function apply() {
    var p = params(location.hash);
    root.lang = lang(p);
    root.classList.toggle('boot-lesson', !!p.lesson);
    var url = p.lesson && Object.prototype.hasOwnProperty.call(files, p.lesson) && files[p.lesson];
    if (url && !preloaded[url]) {
      preloaded[url] = true;
      var link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      link.crossOrigin = 'anonymous';
      link.href = url;
      document.head.appendChild(link);
    }
  }
  var theme = stored('replilab.theme');
  if (theme !== 'dark' && theme !== 'light') {
    theme = window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  root.setAttribute('data-theme', theme);
  apply();
  addEventListener('hashchange', function onHash() {
    // The app has replaced the static markup: it handles the hash from now on.
    if (!document.querySelector('.boot')) removeEventListener('hashchange', onHash);
    else apply();
  });
})(/*LESSON_FILES*/{});
